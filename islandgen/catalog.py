"""A site folder -> every component it can use, listed (`islandgen components`) or rendered in isolation.

Theme authors write the components everyone else uses, so they need to see
what a site can call, where each name comes from (the site or which theme),
what it takes, and how it looks on its own. The listing follows exactly the
lookup the build does: the nearest layer wins by name, a `'use client'`
module wins over a template of the same name (which becomes its shell).

A component file may declare examples for the catalog page that `islandgen
serve` shows at `/_islandgen/components`, in a Jinja comment (templates and
shells) or on a line of its own (Python and JavaScript files):

    {# example: title="Hello", href="/hi/" #}
    {# example "with children": title="Boxed"
       <p>Any <b>HTML</b> or {{ Badge(label="Jinja") }}: the call's children.</p> #}
    # example: label="New", tone="warn"          (in a .py file, also inside a docstring)
    // example: start=3                          (in a .js file)

What follows `example:` on its line is the call's keyword arguments, written
as in a template (`site` and `server` may be used); the comment's further lines
are the children. A client component is placed with `client="load"` unless its
example picks a strategy. A component that declares no example is shown once
with its defaults, when every prop has one.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from jinja2 import DictLoader, Environment, nodes
from markupsafe import Markup

from .config import CONFIG_FILE, Config, load_config
from .content.data import load_data
from .content.links import LinkContext
from .content.markdown import render_markdown
from .content.source import find_files, load_document
from .errors import IslandgenError, UsageError
from .functions.discover import discover_functions
from .functions.templates import ServerNamespace
from .islands.component import (
    client_components,
    collecting,
    discover_client_components,
    finish_page,
    stop_collecting,
)
from .islands.site import site_chunks
from .model import Page, RenderedMarkdown
from .output.static import plan_static
from .render.components import Component, Prop, TemplateComponent, discover_components
from .render.environment import highlight_css, make_environment
from .render.pages import Renderer
from .render.views import SiteState, TemplatePageView
from .routing.collections import build_collections, select_published
from .routing.pages import make_page
from .themes import Layer, resolve_layers

CATALOG_PATH = "/_islandgen/components"
Kind = Literal["server", "client"]

_TEMPLATE_EXAMPLE = re.compile(
    r"\{#-?\s*example(?:\s+\"(?P<label>[^\"\n]*)\")?\s*:(?P<body>.*?)-?#\}", re.DOTALL)
_LINE_EXAMPLE = re.compile(
    r"^[ \t]*(?:#|//|\*)?[ \t]*example(?:[ \t]+\"(?P<label>[^\"\n]*)\")?[ \t]*:(?P<body>.*)$",
    re.MULTILINE)


# -- what a component is, as the catalog knows it ------------------------------------------


@dataclass(frozen=True)
class Example:
    """One declared example: the call's arguments, and its children if any."""

    label: str
    arguments: str  # Jinja keyword arguments, as written: 'title="Hello"'
    children: str | None  # a Jinja template body, or None for a call without one
    path: Path
    line: int


@dataclass(frozen=True)
class ComponentInfo:
    """A component the site can call, and where it comes from."""

    name: str
    kind: Kind
    layer: str  # 'site' or the theme's name
    path: Path  # the template, Python module or client module
    shell: Path | None  # a client component's build-time template
    props: tuple[Prop, ...] | None  # None: not declared, any props go (a client module alone)
    children: bool  # takes a `{% call %}` body
    examples: tuple[Example, ...]
    shadows: tuple[Path, ...] = ()  # files of the same name in farther layers, nearest first


@dataclass(frozen=True)
class Catalog:
    """Every component of a site, by name, and the layers they were looked up in."""

    site_dir: Path
    layers: tuple[Layer, ...]
    components: tuple[ComponentInfo, ...]

    def relative(self, path: Path) -> str:
        """`components/Card.html`: a file's path in the layer (site or theme folder) it is in."""
        layer = layer_of(path, self.layers)
        return path.relative_to(layer.path).as_posix() if layer is not None else str(path)

    def origin(self, info: ComponentInfo) -> str:
        """Where a component comes from, for people: 'site' or 'theme default'."""
        return "site" if info.layer == "site" else f"theme {info.layer}"

    def to_json(self) -> str:
        """The listing as JSON, for tools: paths are absolute, defaults are JSON values."""
        return json.dumps({
            "site": str(self.site_dir.absolute()),
            "layers": [{"name": layer.name, "path": str(layer.path.absolute())}
                       for layer in self.layers],
            "components": [self._entry(info) for info in self.components],
        }, indent=2, default=str)

    def _entry(self, info: ComponentInfo) -> dict[str, Any]:
        return {
            "name": info.name,
            "kind": info.kind,
            "layer": info.layer,
            "file": str(info.path.absolute()),
            "relative": self.relative(info.path),
            "shell": str(info.shell.absolute()) if info.shell else None,
            "props": None if info.props is None else [
                {"name": p.name, "required": p.required, "default": None if p.required else p.default}
                for p in info.props],
            "children": info.children,
            "examples": [{"label": e.label, "arguments": e.arguments, "children": e.children,
                          "line": e.line} for e in info.examples],
            "shadows": [str(path.absolute()) for path in info.shadows],
        }


def literal(value: Any) -> str:
    """A prop default as a template author writes it: none, true, "text", [1, 2]."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple | dict | int | float):
        try:
            return json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            pass
    return repr(value)


def describe_props(props: tuple[Prop, ...] | None) -> str:
    """`title, href=none, tags=[]`; required props have no default."""
    if props is None:
        return "any (not declared)"
    if not props:
        return "none"
    return ", ".join(p.name if p.required else f"{p.name}={literal(p.default)}" for p in props)


# -- discovery -----------------------------------------------------------------------------


@dataclass
class _World:
    """What discovering (and rendering) components needs: config, layers, an environment."""

    site_dir: Path
    config: Config
    layers: tuple[Layer, ...]
    env: Environment
    server: dict[str, Component]
    clients: dict[str, tuple[Path, Path | None]] = field(default_factory=dict)


def _require_site(site_dir: Path) -> None:
    if not site_dir.is_dir():
        raise UsageError(f"no site folder at {site_dir}", hint="pass the folder that holds islandgen.yaml")


def _world(site_dir: Path, asset_urls: Mapping[str, str] | None = None) -> _World:
    _require_site(site_dir)
    config = load_config(site_dir)
    layers = resolve_layers(site_dir, config.theme, site_dir / CONFIG_FILE)
    env = make_environment(layers, config, asset_urls or {})
    server = discover_components(layers, env)
    return _World(site_dir, config, layers, env, server, discover_client_components(layers))


def list_components(site_dir: Path) -> Catalog:
    """Every component the site can use, sorted by name; raises like a build on a broken site."""
    return _catalog(_world(site_dir))


def _catalog(world: _World) -> Catalog:
    per_layer = [_layer_names(layer, world.env) for layer in world.layers]
    found: list[ComponentInfo] = []
    names = sorted({*world.server, *world.clients})
    for name in names:
        info = _client_info(world, name) if name in world.clients else _server_info(world, name)
        shadows = tuple(path for names_in, layer in zip(per_layer, world.layers, strict=True)
                        for n, path in names_in if n == name and layer.name != info.layer)
        found.append(replace(info, shadows=shadows))
    return Catalog(world.site_dir, world.layers, tuple(found))


def _layer_names(layer: Layer, env: Environment) -> list[tuple[str, Path]]:
    """(name, file) of each component one layer defines; a shell counts with its module."""
    clients = discover_client_components([layer])
    names = [(name, path) for name, (path, _) in clients.items()]
    names += [(name, c.path) for name, c in discover_components([layer], env).items()
              if name not in clients]
    return names


def layer_of(path: Path, layers: Sequence[Layer]) -> Layer | None:
    """The layer a file belongs to: the innermost folder holding it (a site's own
    themes/<name>/ is inside the site folder, yet its files are the theme's)."""
    holding = [layer for layer in layers if path.is_relative_to(layer.path)]
    return max(holding, key=lambda layer: len(layer.path.parts), default=None)


def _layer_of(path: Path, layers: Sequence[Layer]) -> str:
    layer = layer_of(path, layers)
    return layer.name if layer is not None else "site"


def _server_info(world: _World, name: str) -> ComponentInfo:
    component = world.server[name]
    children = component.accepts_children()
    return ComponentInfo(name, "server", _layer_of(component.path, world.layers), component.path,
                         None, tuple(component.props()), children, read_examples(component.path))


def _client_info(world: _World, name: str) -> ComponentInfo:
    module, shell_path = world.clients[name]
    shell = world.server.get(name)
    shell_file = shell.path if isinstance(shell, TemplateComponent) else shell_path
    declared: tuple[Prop, ...] = ()
    if isinstance(shell, TemplateComponent):
        declared = tuple(shell.props())
    elif shell_path is not None:
        declared = tuple(_shell(world, name, shell_path).props())
    examples = (*(read_examples(shell_file) if shell_file else ()), *read_examples(module))
    return ComponentInfo(name, "client", _layer_of(module, world.layers), module, shell_file,
                         declared or None, True, examples)


def _shell(world: _World, name: str, path: Path) -> TemplateComponent:
    layer = layer_of(path, world.layers)
    assert layer is not None, f"{path} is in no layer"
    template = path.relative_to(layer.path).as_posix()
    return TemplateComponent(name, path, f"{layer.name}:{template}" if layer.is_theme else template,
                             world.env)


def read_examples(path: Path) -> tuple[Example, ...]:
    """The examples a component file declares (see the module docstring for the forms)."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ()
    template = path.suffix in (".html", ".jinja")
    pattern = _TEMPLATE_EXAMPLE if template else _LINE_EXAMPLE
    found = []
    for number, match in enumerate(pattern.finditer(source), start=1):
        first, _, rest = match.group("body").partition("\n")
        children = textwrap.dedent(rest).strip() if template else ""
        found.append(Example(match.group("label") or f"example {number}", first.strip(),
                             children or None, path, source.count("\n", 0, match.start()) + 1))
    return tuple(found)


# -- rendering the catalog page ---------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """One example as rendered: its call as written, and its HTML or the error it raised."""

    example: Example
    call: str
    html: Markup | None
    error: str | None


def render_catalog(site_dir: Path, *, now: dt.datetime | None = None) -> str:
    """The catalog page: every component with its examples rendered, islands ready to hydrate.

    The page uses the site's own `layouts/base.html` when it has one (so the
    theme's stylesheets apply) and its island chunks have the URLs the build
    gives them, so the dev server serves them from the build it already made.
    """
    site_dir = site_dir.absolute()
    _require_site(site_dir)
    config = load_config(site_dir)
    layers = resolve_layers(site_dir, config.theme, site_dir / CONFIG_FILE)
    static = plan_static(layers, site_dir / "content", generated=highlight_css(config))
    world = _world(site_dir, static.urls)
    catalog = _catalog(world)
    functions = discover_functions(site_dir, config)
    chunks = site_chunks(layers, site_dir, config, functions).chunks
    world.env.globals["server"] = ServerNamespace(functions)
    components = {**world.server, **client_components(world.clients, chunks, world.server, layers)}
    state = _site_state(world, now or dt.datetime.now(dt.UTC), static.urls)
    renderer = Renderer(world.env, state, components)
    state.expand = renderer.expand
    islands, token = collecting()
    try:
        shown = {info.name: [_render_example(world.env, info, example)
                             for example in _examples_to_show(info)]
                 for info in catalog.components}
        body = _templates().get_template("catalog.html").render(
            catalog=catalog, shown=shown, describe_props=describe_props)
        html = _page(world.env, state, Markup(body))
    finally:
        stop_collecting(token)
    html, _extra = finish_page(html, islands, chunks, config.base_path)
    return html


def _site_state(world: _World, now: dt.datetime, asset_urls: Mapping[str, str]) -> SiteState:
    """`site` for examples: the published content and data, bodies rendered when read."""
    config = world.config
    content_dir = world.site_dir / "content"
    tz = ZoneInfo(config.build.timezone)
    pages = [make_page(load_document(path, content_dir), config, tz)
             for path in find_files(content_dir, (".md",))]
    published = select_published(pages, drafts=config.build.drafts, future=config.build.future,
                                 now=now).published
    rendered = _LazyMarkdown(config, published, frozenset(asset_urls))
    state = SiteState(config, build_collections(published), rendered,
                      load_data(world.site_dir / "data"), expand=_not_ready)
    state.client_components = frozenset(world.clients)
    return state


class _LazyMarkdown(Mapping[str, RenderedMarkdown]):
    """Page id -> its rendered body, rendered the first time an example reads it."""

    def __init__(self, config: Config, pages: Sequence[Page], assets: frozenset[str]) -> None:
        self.config = config
        self.pages = {page.id: page for page in pages}
        self.urls = {str(page.doc.rel): page.url for page in pages}
        self.assets = assets
        self.done: dict[str, RenderedMarkdown] = {}

    def __getitem__(self, page_id: str) -> RenderedMarkdown:
        if page_id not in self.done:
            page = self.pages[page_id]
            ctx = LinkContext(source=page.source, rel=page.doc.rel, body_line=page.doc.body_line,
                              base_path=self.config.base_path, page_urls=self.urls,
                              asset_paths=self.assets)
            self.done[page_id] = render_markdown(page.doc.body, ctx, self.config.markdown)
        return self.done[page_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


def _not_ready(*_args: object) -> str:
    raise RuntimeError("the catalog's renderer is not ready")


def _examples_to_show(info: ComponentInfo) -> tuple[Example, ...]:
    """Its declared examples; else one with the defaults when no prop is required."""
    if info.examples:
        return info.examples
    if info.props is not None and any(p.required for p in info.props):
        return ()
    return (Example("defaults", "", None, info.path, 1),)


def _render_example(env: Environment, info: ComponentInfo, example: Example) -> Shown:
    """Render one example; its failure is shown in its place, never fatal to the page.

    The call is compiled as if it stood in the component file at the example's
    line, so an error in it (an unknown prop...) points at the example.
    """
    call = _call_source(env, info, example)
    try:
        source = "\n" * (example.line - 1) + call
        code = env.compile(source, filename=str(example.path))
        template = env.template_class.from_code(env, code, env.make_globals(None))
        html = Markup(template.render())
    except IslandgenError as exc:
        return Shown(example, call, None, str(exc))
    except Exception as exc:  # the example, not the catalog, is broken: show why
        return Shown(example, call, None, f"{example.path}:{example.line}: "
                                          f"{type(exc).__name__}: {exc}")
    return Shown(example, call, html, None)


def _call_source(env: Environment, info: ComponentInfo, example: Example) -> str:
    """The template text of an example: `{{ Name(args) }}` or a `{% call %}` with its children."""
    arguments = example.arguments
    if info.kind == "client" and "client" not in _keywords(env, arguments):
        arguments = f'{arguments}, client="load"' if arguments else 'client="load"'
    if example.children is None:
        return f"{{{{ {info.name}({arguments}) }}}}"
    return f"{{% call {info.name}({arguments}) %}}{example.children}{{% endcall %}}"


def _keywords(env: Environment, arguments: str) -> set[str]:
    """The keyword names an example passes ('' when it cannot be read: rendering will say why)."""
    try:
        call = env.parse(f"{{{{ f({arguments}) }}}}").find(nodes.Call)
    except Exception:
        return set()
    return {keyword.key for keyword in call.kwargs} if call is not None else set()


def _page(env: Environment, state: SiteState, body: Markup) -> str:
    """The catalog inside the site's base layout (its stylesheets, header and footer)."""
    page = TemplatePageView({"noindex": True}, state.href(CATALOG_PATH + "/"), "Components")
    context = {"page": page, "content": body, "toc": (), "params": {}, "props": {}}
    if env.loader is not None and "layouts/base.html" in env.loader.list_templates():
        try:
            return env.from_string(_IN_LAYOUT).render(context)
        except Exception:  # a layout that needs more than a page title: show the bare page
            pass
    return _templates().get_template("bare.html").render(body=body, site=state.config)


_IN_LAYOUT = """{% extends "layouts/base.html" %}
{% block title %}Components{% endblock %}
{% block content %}{{ content }}{% endblock %}"""

_BARE_PAGE = """<!doctype html>
<html lang="{{ site.language }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Components · {{ site.title }}</title></head>
<body>{{ body }}</body></html>
"""

_CATALOG = """
<div class="ig-catalog">
<style>
.ig-catalog { --ig-line: color-mix(in srgb, currentColor 20%, transparent); }
.ig-catalog__toc { columns: 14rem; padding-left: 1.2rem; }
.ig-catalog__component { border-top: 1px solid var(--ig-line); margin-top: 2rem; padding-top: 1rem; }
.ig-catalog__kind { font-size: .75rem; font-weight: normal; border: 1px solid var(--ig-line);
  border-radius: 1rem; padding: .1rem .5rem; vertical-align: middle; }
.ig-catalog__meta { font-size: .875rem; opacity: .85; }
.ig-catalog__example { border: 1px dashed var(--ig-line); border-radius: .5rem; margin: 1rem 0; }
.ig-catalog__example > figcaption { border-bottom: 1px dashed var(--ig-line); font-size: .8rem;
  padding: .4rem .75rem; }
.ig-catalog__stage { padding: 1rem; }
.ig-catalog__error { color: #b00020; white-space: pre-wrap; margin: 0; padding: 1rem; }
</style>
<h1>Components</h1>
<p class="ig-catalog__meta">{{ catalog.components | length }} components from
{{ catalog.layers | map(attribute="name") | join(" → ") }}, each rendered on its own.
Declare examples in a component file with <code>{{ '{# example: title="Hello" #}' }}</code>.</p>
<ol class="ig-catalog__toc">
{% for info in catalog.components %}
  <li><a href="#component-{{ info.name }}">{{ info.name }}</a> <small>{{ info.kind }}</small></li>
{% endfor %}
</ol>
{% for info in catalog.components %}
<section class="ig-catalog__component" id="component-{{ info.name }}" data-kind="{{ info.kind }}">
  <h2>{{ info.name }} <span class="ig-catalog__kind">{{ info.kind }}</span></h2>
  <p class="ig-catalog__meta">{{ catalog.origin(info) }}:
    <code>{{ catalog.relative(info.path) }}</code>
  {%- if info.shell %}, shell <code>{{ catalog.relative(info.shell) }}</code>{% endif %}
  {%- for path in info.shadows %}; overrides <code>{{ path }}</code>{% endfor %}</p>
  <p class="ig-catalog__meta">props: <code>{{ describe_props(info.props) }}</code></p>
  {% for item in shown[info.name] %}
  <figure class="ig-catalog__example" data-example="{{ item.example.label }}">
    <figcaption>{{ item.example.label }}: <code>{{ item.call }}</code></figcaption>
    {% if item.error %}
    <pre class="ig-catalog__error" role="alert">{{ item.error }}</pre>
    {% else %}
    <div class="ig-catalog__stage">{{ item.html }}</div>
    {% endif %}
  </figure>
  {% else %}
  <p class="ig-catalog__meta">No example: it has required props. Declare one in its file:
  <code>{{ '{# example: ' }}
  {%- for p in info.props if p.required %}{{ p.name }}=...{{ ", " if not loop.last }}{% endfor %}
  {{- ' #}' }}</code></p>
  {% endfor %}
</section>
{% endfor %}
</div>
"""


@functools.cache
def _templates() -> Environment:
    """The catalog's own templates, compiled on first use (never at import)."""
    return Environment(loader=DictLoader({"catalog.html": _CATALOG, "bare.html": _BARE_PAGE}),
                       autoescape=True, trim_blocks=True, lstrip_blocks=True)
