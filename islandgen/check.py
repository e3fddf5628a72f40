"""A built output folder -> its broken links, anchors, assets, island chunks and orphan pages.

Checks what a static host would serve, not what templates meant: every HTML
page is parsed (`htmlrefs`), every internal URL is resolved the way a host
resolves it (below the base path, `/x/` -> `x/index.html`), and pages no chain
of links from the home page reaches are reported too. Feeds and the sitemap
are read as XML; their absolute URLs on `base_url` count as internal.

Each problem points at the source a person edits: the Markdown file or page
template that produced the page, at the line where the link is written when
that line can be found (the URL as written, without the base path, between
delimiters such as `(`, `"` or `<`); otherwise at the line of the output file.
A page nothing links to points at line 1 of its source. Without the build's
routes (`--no-build`) every problem points at the output file.
"""

from __future__ import annotations

import json
import os
import posixpath
import xml.parsers.expat
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from .config import Config, load_config
from .errors import UsageError
from .htmlrefs import Ref, RefKind, scan_html
from .model import BuildOptions, BuildResult, Route
from .output import extras
from .pipeline import build

ISLANDS_MANIFEST = "_islands/manifest.json"
UNCHANGED = "(unchanged)"  # the source a no-change build reports for every route
_DELIMITERS = "()[]<>\"' \t=:,"
_MESSAGES: dict[RefKind, str] = {
    "link": "no such page",
    "asset": "missing asset",
    "island": "missing island chunk",
}


@dataclass(frozen=True)
class Problem:
    """One finding, printed as `where → target: message`."""

    where: str  # 'content/about.md:12'
    target: str  # the URL as written in the output
    message: str

    def __str__(self) -> str:
        return f"{self.where} → {self.target}: {self.message}"


@dataclass(frozen=True)
class CheckReport:
    """What `check_output` looked at and what it found."""

    pages: int
    references: int
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()  # what the build left out (no base_url: no sitemap)


@dataclass
class _Page:
    """An HTML output file as the checker knows it."""

    path: str  # relative to the output folder, posix
    url: str  # the public path it is served at, with the base path
    refs: list[Ref]
    ids: set[str]
    redirect: bool
    source: Path | None = None
    problems: list[tuple[Ref, str]] = field(default_factory=list)


def check_site(site_dir: Path, options: BuildOptions | None = None,
               result: BuildResult | None = None, *, build_first: bool = True) -> CheckReport:
    """Build the site (unless `build_first` is off, or `result` is that build) and check it.

    Problems are mapped to source files through the build's routes. A build
    that found nothing changed cannot say which file made which route, so it
    is redone from scratch (the output comes out byte-identical).
    """
    options = options or BuildOptions()
    config = load_config(site_dir)
    out_dir = (options.out_dir or site_dir / config.build.output).absolute()
    if build_first and (result is None or any(r.source == UNCHANGED for r in result.routes)):
        result = build(site_dir, replace(options, use_cache=False))
    if not out_dir.is_dir():
        raise UsageError(f"no built site at {out_dir}",
                         hint=f"run `islandgen build {site_dir}` first, or drop --no-build")
    sources = {route_output(r.url): _source_path(site_dir, r.source)
               for r in (result.routes if result is not None else ())
               if r.url.endswith(("/", ".html"))}  # pages; not feeds or JSON
    return check_output(out_dir, config, sources)


def _source_path(site_dir: Path, shown: str) -> Path:
    path = Path(shown)
    return (path if path.is_absolute() else site_dir / path).absolute()


def check_output(out_dir: Path, config: Config,
                 sources: Mapping[str, Path] | None = None) -> CheckReport:
    """Check the output folder; `sources` maps output paths to the files they came from."""
    checker = _Checker(out_dir, config, sources or {})
    return checker.run()


def route_output(url: str) -> str:
    """The output path of a route URL, exactly as the build wrote it ('/a/' -> 'a/index.html')."""
    return str(Route(url=url, kind="template", source=Path(), template="").output)


class _Checker:
    def __init__(self, out_dir: Path, config: Config, sources: Mapping[str, Path]) -> None:
        self.out_dir = out_dir
        self.config = config
        self.base_path = config.base_path
        self.base_url = config.base_url
        self.sources = sources
        self.files = {p.relative_to(out_dir).as_posix()
                      for p in sorted(out_dir.rglob("*")) if p.is_file()}
        self.pages: dict[str, _Page] = {}
        self.other: list[Problem] = []
        self.references = 0

    def run(self) -> CheckReport:
        for path in sorted(self.files):
            if path.endswith(".html"):
                self.pages[path] = self._read_page(path)
        for page in self.pages.values():
            for ref in page.refs:
                self.references += 1
                message = self._check(ref, page.url)
                if message is not None:
                    page.problems.append((ref, message))
        self._check_xml()
        self._check_manifest()
        problems = [p for page in self.pages.values() for p in self._locate(page)]
        problems += self.other
        problems += self._unreachable()
        return CheckReport(len(self.pages), self.references, tuple(problems),
                           tuple(extras.notes(self.config)))

    # -- reading ------------------------------------------------------------------------------

    def _read_page(self, path: str) -> _Page:
        scan = scan_html((self.out_dir / path).read_text(encoding="utf-8", errors="replace"))
        return _Page(path, self._public_url(path), scan.refs, scan.ids, scan.redirect,
                     self.sources.get(path))

    def _public_url(self, path: str) -> str:
        if path == "index.html" or path.endswith("/index.html"):
            path = path.removesuffix("index.html")
        return self.base_path + path

    # -- resolving ----------------------------------------------------------------------------

    def _check(self, ref: Ref, page_url: str) -> str | None:
        """None if the reference is fine (or not ours to check), else what is wrong."""
        target = self._internal_path(ref.url, page_url)
        if target is None:
            return None
        path, fragment = target
        if not path.startswith(self.base_path):
            return f"outside the base path {self.base_path}"
        file = self._file_for(path[len(self.base_path):])
        if file is None:
            return _MESSAGES[ref.kind]
        if fragment and fragment != "top" and file.endswith(".html"):
            ids = self.pages[file].ids if file in self.pages else set()
            if fragment not in ids and unquote(fragment) not in ids:
                return f'no element with id "{unquote(fragment)}" on that page'
        return None

    def _internal_path(self, url: str, page_url: str) -> tuple[str, str] | None:
        """(absolute path, fragment) of a URL on this site; None for other sites and schemes."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:  # ours only below base_url + base path: the same
            site_root = self.base_url + self.base_path  # host may serve other sites beside it
            if not self.base_url or not (url + "/").startswith(site_root):
                return None
            url = url[len(self.base_url):] or "/"
        elif url.startswith("//"):
            return None
        joined = urlsplit(urljoin(page_url, url))
        if joined.scheme and joined.scheme not in ("http", "https"):
            return None
        return joined.path, joined.fragment

    def _file_for(self, rel: str) -> str | None:
        """The output file a host serves for a path below the base (a folder: its index.html)."""
        rel = posixpath.normpath(unquote(rel)) if rel else "."
        if rel.startswith(".."):
            return None
        rel = "" if rel == "." else rel
        if rel in self.files:
            return rel
        if rel and f"{rel}.html" in self.files:  # a site without trailing slashes
            return f"{rel}.html"
        index = f"{rel}/index.html" if rel else "index.html"
        return index if index in self.files else None

    # -- feeds, sitemap, island manifest ------------------------------------------------------

    def _check_xml(self) -> None:
        for path in sorted(p for p in self.files if p.endswith(".xml")):
            page_url = self._public_url(path)
            try:
                urls = _xml_urls((self.out_dir / path).read_bytes())
            except xml.parsers.expat.ExpatError as exc:
                self.other.append(Problem(f"{self._shown(self.out_dir / path)}:{exc.lineno}",
                                          page_url, f"not well-formed XML ({exc})"))
                continue
            for url, kind, line in urls:
                self.references += 1
                message = self._check(Ref(url, kind, "xml", line), page_url)
                if message is not None:
                    self.other.append(Problem(f"{self._shown(self.out_dir / path)}:{line}",
                                              url, message))

    def _check_manifest(self) -> None:
        if ISLANDS_MANIFEST not in self.files:
            return
        manifest = json.loads((self.out_dir / ISLANDS_MANIFEST).read_text(encoding="utf-8"))
        for name, entry in sorted(manifest.items()):
            for url in [entry["entry"], *entry.get("deps", [])]:
                self.references += 1
                if self._check(Ref(url, "island", "manifest", 1), self.base_path) is not None:
                    self.other.append(Problem(
                        f"{self._shown(self.out_dir / ISLANDS_MANIFEST)}:1", url,
                        f"missing island chunk (component {name})"))

    # -- reachability -------------------------------------------------------------------------

    def _unreachable(self) -> Iterator[Problem]:
        """Pages no chain of <a href> links from the home page reaches (404 and aliases aside)."""
        seen = {"index.html"} if "index.html" in self.pages else set()
        queue = deque(seen)
        while queue:
            page = self.pages[queue.popleft()]
            for ref in page.refs:
                if ref.kind != "link" or ref.tag not in ("a", "area"):
                    continue
                target = self._internal_path(ref.url, page.url)
                if target is None or not target[0].startswith(self.base_path):
                    continue
                file = self._file_for(target[0][len(self.base_path):])
                if file in self.pages and file not in seen:
                    seen.add(file)
                    queue.append(file)
        for path, page in self.pages.items():
            if path in seen or path == "404.html" or page.redirect:
                continue
            if self.sources and page.source is None:
                continue  # not a route: a static HTML file, linked or not as its author wants
            where = (f"{self._shown(page.source)}:1" if page.source is not None
                     else f"{self._shown(self.out_dir / path)}:1")
            yield Problem(where, page.url, "not reachable by links from the home page")

    # -- pointing at the source ---------------------------------------------------------------

    def _locate(self, page: _Page) -> Iterator[Problem]:
        """Each problem of a page at its source line, else at its line in the output file."""
        lines = _read_lines(page.source) if page.source is not None else []
        used: dict[str, int] = {}  # the n-th occurrence of a URL maps to its n-th source line
        for ref, message in page.problems:
            found = self._source_line(ref.url, lines, used)
            if found is not None and page.source is not None:
                where = f"{self._shown(page.source)}:{found}"
            else:
                where = f"{self._shown(self.out_dir / page.path)}:{ref.line}"
            yield Problem(where, ref.url, message)

    def _source_line(self, url: str, lines: list[str], used: dict[str, int]) -> int | None:
        for candidate in self._written_forms(url):
            hits = [n for n, text in enumerate(lines, start=1) if _contains(text, candidate)]
            if hits:
                count = used.get(candidate, 0)
                used[candidate] = count + 1
                return hits[min(count, len(hits) - 1)]
        return None

    def _written_forms(self, url: str) -> list[str]:
        """How a URL in the output may have been written in the source, most exact first."""
        forms = [url]
        base = self.base_path.rstrip("/")
        if base and url.startswith(base + "/"):
            forms.append(url[len(base):])
        fragment = urlsplit(url).fragment
        if fragment:
            forms.append("#" + fragment)
        return forms

    def _shown(self, path: Path) -> str:
        """A path as the user typed it: relative to the working directory when inside it."""
        try:
            return os.path.relpath(path) if path.is_absolute() and path.resolve().is_relative_to(
                Path.cwd().resolve()) else str(path)
        except ValueError:
            return str(path)


def _contains(text: str, candidate: str) -> bool:
    """`candidate` occurs in `text` as a whole URL: between delimiters, not inside another."""
    start = text.find(candidate)
    while start != -1:
        end = start + len(candidate)
        before = text[start - 1] if start > 0 else " "
        after = text[end] if end < len(text) else " "
        if (before in _DELIMITERS or candidate.startswith("#")) and (
                after in _DELIMITERS or after == "#"):
            return True
        start = text.find(candidate, start + 1)
    return False


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _xml_urls(data: bytes) -> list[tuple[str, RefKind, int]]:
    """URLs in an Atom feed (`<link href>`, HTML content) or a sitemap (`<loc>`), with lines."""
    found: list[tuple[str, RefKind, int]] = []
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    text: list[str] = []
    state: dict[str, tuple[str, int] | None] = {"open": None}

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        line = parser.CurrentLineNumber
        if local == "link" and "href" in attrs:
            found.append((attrs["href"], "link", line))
        elif local == "loc" or (local in ("content", "summary") and attrs.get("type") == "html"):
            state["open"] = (local, line)
            text.clear()

    def end(name: str) -> None:
        opened = state["open"]
        if opened is None or name.rsplit(" ", 1)[-1] != opened[0]:
            return
        local, line = opened
        state["open"] = None
        body = "".join(text)
        if local == "loc":
            found.append((body.strip(), "link", line))
        else:
            found.extend((ref.url, ref.kind, line) for ref in scan_html(body).refs)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text.append
    parser.Parse(data, True)
    return found
