"""Shared records passed between build stages; plain data, no I/O.

Each stage takes records from earlier stages and returns new ones, so a reader
can follow a page from its file (`Document`) to its URL (`Page`, `Route`) to the
bytes written (`OutputFile`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import unquote


@dataclass(frozen=True)
class Document:
    """A content file split into front matter and Markdown body."""

    source: Path
    rel: PurePosixPath  # relative to content/, e.g. blog/hi.md
    meta: Mapping[str, Any]
    body: str
    body_line: int  # 1-based line in `source` where the body starts
    meta_lines: Mapping[str, int] = field(default_factory=dict)  # front matter key -> line


@dataclass(frozen=True)
class Page:
    """A content page with everything routing and collections need to know."""

    doc: Document
    url: str  # percent-encoded URL path below base_path, '/blog/hi/'
    title: str
    section: str  # the folder below content/ ('blog', 'docs/guide'); '' for top-level pages
    date: dt.datetime | None
    updated: dt.datetime | None
    draft: bool
    tags: tuple[str, ...]
    weight: int
    layout: str | None
    summary: str | None
    slug: str
    is_index: bool  # content/<folder>/index.md: the folder's own page

    @property
    def source(self) -> Path:
        return self.doc.source

    @property
    def meta(self) -> Mapping[str, Any]:
        return self.doc.meta

    @functools.cached_property
    def id(self) -> str:
        """A stable identifier: the content path without extension."""
        return str(self.doc.rel.with_suffix(""))


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list."""

    items: Sequence[Any]
    number: int  # 1-based
    total_pages: int
    total_items: int
    urls: tuple[str, ...]  # the URL of every page in this pagination, in order

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def prev_url(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.urls[self.number] if self.number < self.total_pages else None


RouteKind = Literal["content", "template", "section"]


@dataclass(frozen=True)
class Route:
    """One URL of the output and how to render it."""

    url: str
    kind: RouteKind
    source: Path  # the file responsible for this URL (for errors and reports)
    template: str  # Jinja template name
    page: Page | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    props: Mapping[str, Any] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)  # a page template's front matter
    pager: Pager | None = None
    section: str | None = None  # section lists: which section
    from_theme: bool = False
    trailing_slash: bool = True  # false: /blog/hi/ is written as blog/hi.html

    @functools.cached_property
    def output(self) -> PurePosixPath:
        """The file written for this URL, relative to the output folder."""
        path = unquote(self.url).strip("/")
        if not self.url.endswith("/"):  # a file such as /feed.xml or /404.html
            return PurePosixPath(path)
        if not path:
            return PurePosixPath("index.html")
        return PurePosixPath(path, "index.html") if self.trailing_slash else PurePosixPath(path + ".html")


@dataclass(frozen=True)
class Heading:
    """A heading in a page's table of contents."""

    level: int
    id: str
    text: str


@dataclass(frozen=True)
class RenderedMarkdown:
    """A Markdown body as HTML, with the facts templates and the page renderer need."""

    html: str
    toc: tuple[Heading, ...]
    first_heading: str | None
    summary: str  # HTML above <!-- more -->, else the first paragraph
    components: tuple[ComponentCall, ...] = ()


@dataclass(frozen=True)
class ComponentCall:
    """A component placed in Markdown (`::Card(...)`), replaced at page-render time."""

    marker: str  # unique placeholder in the rendered HTML
    name: str
    arguments: str  # the Jinja keyword arguments between the parentheses
    has_children: bool
    line: int  # 1-based line in the source file
    children_html: str = ""

    def with_children(self, children_html: str) -> ComponentCall:
        return replace(self, children_html=children_html)


@dataclass(frozen=True)
class OutputFile:
    """Bytes to write to one file of the output folder."""

    path: PurePosixPath
    data: bytes


@dataclass(frozen=True)
class RouteReport:
    """One row of the build report."""

    url: str
    source: str
    html_bytes: int
    islands: int = 0
    first_load_js: int = 0  # gzip bytes of the runtime and every chunk the page preloads


@dataclass(frozen=True)
class BuildResult:
    """What a finished build produced, for the CLI summary and for tests."""

    out_dir: Path
    routes: tuple[RouteReport, ...]
    files_written: int
    seconds: float
    skipped_drafts: int = 0
    skipped_future: int = 0
    notes: tuple[str, ...] = ()  # things the user should know that are not errors
    rendered: int = 0  # routes rendered this time (the others were unchanged)
    base_path: str = "/"


@dataclass(frozen=True)
class BuildOptions:
    """What the command line (or the dev server) may change about a build."""

    out_dir: Path | None = None
    drafts: bool | None = None  # None: as the config says
    future: bool | None = None
    now: dt.datetime | None = None  # 'today' for future-dated pages; tests pin it
    use_cache: bool = True  # read and write SITE/.islandgen-cache/
    write_functions: bool = True  # write the server functions bundle (the dev server serves them live)
    functions_zip: bool = False  # also write dist-functions.zip
