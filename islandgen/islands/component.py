"""Client components placed on a page -> `<ig-island>` elements, one props payload, one runtime tag.

A client component is called like a server component (`{{ Counter(start=3,
client="visible") }}`); instead of HTML it leaves a placeholder holding its
shell, and its props go into the page's payload. When the page is done,
`finish_page` adds the payload and the runtime, and only if the page has islands:
a page without any ships no JavaScript at all.

What the page preloads: the chunks of its `load`/`only` islands with their
static imports (server function stubs included), and the runtime chunks it
needs at once, which the runtime would otherwise import on demand: the
`interaction` strategy when an island uses it, the decoder when the payload
has tags or moves to a file.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from ..client import DECODER, FUNCTIONS_CLIENT, RUNTIME_ENTRY
from ..client.chunks import ChunkSet
from ..client.graph import is_client_module
from ..deps import file_digest
from ..errors import ComponentError
from ..model import OutputFile
from ..render.components import Component, Prop, TemplateComponent
from ..render.location import call_site
from ..themes import Layer
from .codec import PagePayload, dumps, needs_decoder, tokens_in
from .markup import island_element, payload_file_script, payload_script, runtime_script
from .strategies import is_eager, parse_client, runtime_modules

# Payloads above this size move to a hashed JSON file so the HTML stays small and cacheable.
INLINE_PAYLOAD_LIMIT = 32 * 1024
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


@dataclass
class PageIslands:
    """The islands of the page being rendered."""

    payload: PagePayload = field(default_factory=PagePayload)
    preload: dict[str, None] = field(default_factory=dict)  # ordered set of chunk URLs
    count: int = 0

    def next_uid(self) -> str:
        self.count += 1
        return str(self.count)

    def preload_module(self, chunks: ChunkSet, module: Path) -> None:
        """Preload a module's chunk and everything it imports statically."""
        self.preload.update(dict.fromkeys(chunks.preload_urls(module)))

    def first_load(self, chunks: ChunkSet) -> tuple[str, ...]:
        """The chunk URLs a browser fetches before any island waits: runtime and preloads."""
        if self.count == 0:
            return ()
        return (chunks.url(RUNTIME_ENTRY), *self.preload)


_current: contextvars.ContextVar[PageIslands | None] = contextvars.ContextVar(
    "islandgen_page_islands", default=None
)


class ClientComponent(Component):
    """A `'use client'` module in components/, with an optional shell template beside it."""

    kind = "client"

    def __init__(self, name: str, path: Path, shell: TemplateComponent | None,
                 chunks: ChunkSet) -> None:
        self.name = name
        self.path = path
        self.shell = shell
        self.chunks = chunks

    @property
    def files(self) -> tuple[Path, ...]:
        return (self.path, self.shell.path) if self.shell is not None else (self.path,)

    def props(self) -> Sequence[Prop]:
        """The shell's `{% props %}` when it declares them; otherwise any props go."""
        declared = self.shell.props() if self.shell is not None else ()
        return (*declared, Prop("client", None))

    def open_props(self) -> bool:
        """Without a `{% props %}` declaration the module alone knows its props: any go."""
        return len(self.props()) == 1

    def templates(self) -> tuple[str, ...]:
        return self.shell.templates() if self.shell is not None else ()

    def render(self, props: dict[str, Any], children: Markup | None) -> Markup:
        site = call_site(skip=3)
        page = _current.get()
        if page is None:
            raise ComponentError(
                f"client component {self.name} used outside a page",
                path=site.path, line=site.line,
                hint="client components can be placed in layouts, page templates and Markdown",
            )
        values = dict(props)
        strategies = parse_client(values.pop("client"), path=site.path, line=site.line)
        uid = page.next_uid()
        page.payload.add(uid, values, component=self.name, path=site.path, line=site.line)
        if is_eager(strategies):
            page.preload_module(self.chunks, self.path)
        for module in runtime_modules(strategies):
            page.preload_module(self.chunks, module)
        shell = self.shell.render(values, children) if self.shell else Markup("")
        return Markup(island_element(
            uid=uid,
            component_url=self.chunks.url(self.path),
            strategies=strategies,
            shell_html=str(shell),
            children_html=str(children) if children is not None else None,
        ))


def collecting() -> tuple[PageIslands, contextvars.Token[PageIslands | None]]:
    """Start collecting the islands of a new page."""
    islands = PageIslands()
    return islands, _current.set(islands)


def stop_collecting(token: contextvars.Token[PageIslands | None]) -> None:
    _current.reset(token)


def finish_page(html: str, islands: PageIslands, chunks: ChunkSet,
                base_path: str) -> tuple[str, tuple[OutputFile, ...]]:
    """Add the payload and the runtime to a page with islands; other pages pass untouched.

    Also returns the files only this page may need: its payload when it moves
    to a file, the server function client when a prop is a server function
    and no chunk imports one (so the client is not written anyway).
    """
    if islands.count == 0:
        return html, ()
    encoded = islands.payload.encode()
    payload = dumps(encoded)
    extra: list[OutputFile] = []
    in_file = len(payload) > INLINE_PAYLOAD_LIMIT
    if in_file:
        file = PurePosixPath("_islands", "props", f"{file_digest(payload.encode())[:16]}.json")
        extra.append(OutputFile(file, payload.encode("utf-8")))
        data = payload_file_script(base_path.rstrip("/") + "/" + file.as_posix())
    else:
        data = payload_script(payload)
    if in_file or needs_decoder(payload):  # the runtime reads this payload with the decoder
        islands.preload_module(chunks, DECODER)
    if "h" in tokens_in(encoded) and (client := chunks.on_demand(FUNCTIONS_CLIENT)) is not None:
        extra.append(client)
    runtime, *preload = islands.first_load(chunks)
    head = runtime_script(runtime, tuple(preload))
    html = _insert(html, _HEAD_END, head, at_end=False)
    html = _insert(html, _BODY_END, data, at_end=True)
    return html, tuple(extra)


def _insert(html: str, marker: re.Pattern[str], text: str, *, at_end: bool) -> str:
    match = marker.search(html)
    if match is None:
        return html + text if at_end else text + html
    return html[: match.start()] + text + html[match.start():]


def discover_client_components(layers: Sequence[Layer]) -> dict[str, tuple[Path, Path | None]]:
    """name -> (module, shell template or None); nearer layers override farther ones.

    Two client components with one name in one layer are an error, as two
    server components are.
    """
    found: dict[str, tuple[Path, Path | None]] = {}
    for layer in reversed(layers):
        root = layer.path / "components"
        if not root.is_dir():
            continue
        in_layer: dict[str, Path] = {}
        for path in sorted(root.rglob("*.js")):
            if path.name.startswith((".", "_")) or not is_client_module(path):
                continue
            if path.stem in in_layer:
                raise _same_name(path.stem, in_layer[path.stem], path, layer)
            in_layer[path.stem] = path
            shell = next((s for s in (path.with_suffix(".html"), path.with_suffix(".jinja"))
                          if s.is_file()), None)
            found[path.stem] = (path, shell)
    return found


def _same_name(name: str, first: Path, second: Path, layer: Layer, hint: str = "") -> ComponentError:
    shown = [path.relative_to(layer.path).as_posix() for path in (first, second)]
    return ComponentError(f"two components are named {name!r}: {shown[0]} and {shown[1]}",
                          path=second, hint=hint or "rename one of them")


def _rank(path: Path, layers: Sequence[Layer]) -> int:
    """The index of the layer whose components/ holds the file: 0 is the nearest (the site)."""
    return next((i for i, layer in enumerate(layers)
                 if path.is_relative_to(layer.path / "components")), len(layers))


def client_components(
    entries: Mapping[str, tuple[Path, Path | None]],
    chunks: ChunkSet,
    server: Mapping[str, Component],
    layers: Sequence[Layer],
) -> dict[str, ClientComponent]:
    """ClientComponent objects, each with its shell: the template server component of its name.

    That template is the one beside the module (`Card.html` or `Card.jinja`
    beside `Card.js`) or one from a nearer layer that overrides it. Any other
    server component of the name from the module's own layer is an error; a
    Python one from a nearer layer overrides the client component, which is
    then left out.
    """
    result: dict[str, ClientComponent] = {}
    for name, (path, shell_path) in entries.items():
        other = server.get(name)
        if other is not None and other.path != shell_path:
            here, there = _rank(path, layers), _rank(other.path, layers)
            if there == here:
                raise _same_name(name, other.path, path, layers[here], hint=(
                    f"rename one of them; a template that is {name}'s shell goes beside the "
                    f"module, as {path.with_suffix('.html').name}"))
            if there < here and not isinstance(other, TemplateComponent):
                continue
        shell = other if isinstance(other, TemplateComponent) else None
        result[name] = ClientComponent(name, path, shell, chunks)
    return result


def island_entries(entries: Mapping[str, tuple[Path, Path | None]]) -> Iterator[Path]:
    yield RUNTIME_ENTRY
    for path, _ in entries.values():
        yield path

