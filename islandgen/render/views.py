"""Records -> the objects templates see (`site`, `page`, sections, tags).

Views add what templates need and records must not carry: URLs with the base
path, rendered HTML with Markdown components expanded, neighbours as views.
Every view is created once per build and memoized, so a list page showing
hundreds of summaries does the work once per page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..config import Config
from ..content.slugs import tag_slug
from ..deps import record, record_all, recording, unrecorded
from ..model import Heading, Page, RenderedMarkdown
from ..routing.collections import Collections, Section, Tag
from ..routing.urls import public_url

ExpandComponents = Callable[[str, RenderedMarkdown, "PageView"], str]


@dataclass
class SiteState:
    """Everything shared by all views of one build."""

    config: Config
    collections: Collections
    rendered: Mapping[str, RenderedMarkdown]  # page id -> its Markdown as HTML
    data: Mapping[str, Any]
    expand: ExpandComponents
    _pages: dict[str, PageView] = field(default_factory=dict)
    _sections: dict[str, SectionView] = field(default_factory=dict)
    _tags: dict[str, TagView] = field(default_factory=dict)

    client_components: frozenset[str] = frozenset()

    def places_islands(self, tokens: set[tuple[str, ...]]) -> bool:
        """True if rendering recorded a client component (its HTML is per page)."""
        return any(t[0] == "component" and t[1] in self.client_components for t in tokens)

    def href(self, url: str) -> str:
        """A site URL ('/blog/hi/') as written in HTML: with the base path."""
        if not url.startswith("/"):
            return url
        return self.config.base_path.rstrip("/") + public_url(url, self.config.trailing_slash)

    def absolute(self, url: str) -> str:
        return self.config.base_url + self.href(url)

    def page(self, page: Page) -> PageView:
        record(("page", page.id))
        view = self._pages.get(page.id)
        if view is None:
            view = self._pages[page.id] = PageView(page, self)
        return view

    def section(self, path: str) -> SectionView:
        view = self._sections.get(path)
        if view is None:
            view = self._sections[path] = SectionView(self.collections.sections[path], self)
        return view

    def tag(self, slug: str) -> TagView:
        view = self._tags.get(slug)
        if view is None:
            view = self._tags[slug] = TagView(self.collections.tags[slug], self)
        return view


class PageView:
    """A content page as templates see it; unknown attributes fall back to front matter."""

    template_name = "page"

    def __init__(self, page: Page, state: SiteState) -> None:
        self._page = page
        self._state = state
        self.title = page.title
        self.date = page.date
        self.updated = page.updated
        self.draft = page.draft
        self.weight = page.weight
        self.section = page.section
        self.slug = page.slug
        self.meta = page.meta
        self.id = page.id
        self.source = str(page.doc.rel)
        self.source_file = page.source
        self.url = state.href(page.url)
        self._content: Markup | None = None
        self._content_deps: set[tuple[str, ...]] = set()
        self._summary: Markup | None = None
        self._summary_deps: set[tuple[str, ...]] = set()
        self._word_count: int | None = None

    @property
    def page_record(self) -> Page:
        """The record behind this view."""
        return self._page

    @property
    def permalink(self) -> str:
        return self._state.absolute(self._page.url)

    @functools.cached_property
    def tags(self) -> list[TagView]:
        return [self._state.tag(tag_slug(name)) for name in self._page.tags]

    @property
    def content(self) -> Markup:
        """The body HTML, Markdown components expanded (once per build, recorded per route).

        A body holding client components is expanded again on every route that
        shows it: each page numbers its own islands and carries their props.
        """
        record(("content", self.id))
        if self._content is None:
            rendered = self._state.rendered[self.id]
            with recording() as used:
                content = Markup(self._state.expand(rendered.html, rendered, self))
            if self._state.places_islands(used):
                return content
            self._content, self._content_deps = content, used
        record_all(self._content_deps)
        return self._content

    @property
    def summary(self) -> Markup:
        record(("summary", self.id))
        if self._summary is None:
            rendered = self._state.rendered[self.id]
            with recording() as used:
                summary = Markup(self._state.expand(rendered.summary, rendered, self))
            if self._state.places_islands(used):
                return summary
            self._summary, self._summary_deps = summary, used
        record_all(self._summary_deps)
        return self._summary

    @property
    def word_count(self) -> int:
        """Words of the Markdown source: cheap, and close enough for a reading time.

        Recorded as reading the body, like `content`: a list showing reading times
        re-renders when a body it counts changes.
        """
        record(("content", self.id))
        if self._word_count is None:
            self._word_count = len(self._page.doc.body.split())
        return self._word_count

    @property
    def reading_minutes(self) -> int:
        """Minutes to read at 220 words a minute, at least 1."""
        return max(1, round(self.word_count / 220))

    @property
    def toc(self) -> tuple[Heading, ...]:
        record(("content", self.id))
        return self._state.rendered[self.id].toc

    @property
    def prev(self) -> PageView | None:
        record(("neighbours", self.id))
        before, _ = self._state.collections.neighbours.get(self.id, (None, None))
        return self._state.page(before) if before else None

    @property
    def next(self) -> PageView | None:
        record(("neighbours", self.id))
        _, after = self._state.collections.neighbours.get(self.id, (None, None))
        return self._state.page(after) if after else None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.meta[name]
        except KeyError:
            raise AttributeError(f"page has no attribute or front matter key {name!r}") from None

    def __repr__(self) -> str:
        return f"<page {self.source}>"


class TemplatePageView:
    """The `page` of a page template or generated list: its front matter and URL."""

    template_name = "page"

    def __init__(self, meta: Mapping[str, Any], url: str, title: str) -> None:
        self.meta = meta
        self.url = url
        self.title = title
        self.date = None
        self.updated = None
        self.tags: list[TagView] = []
        self.content = Markup("")
        self.summary = Markup("")
        self.toc: tuple[Heading, ...] = ()
        self.prev = None
        self.next = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self.meta[name]
        except KeyError:
            raise AttributeError(f"page has no attribute or front matter key {name!r}") from None


class _Listing:
    """A view with a list of pages: reading it records one token for the whole list."""

    _state: SiteState
    _token: tuple[str, ...]
    _records: tuple[Page, ...]
    _views: list[PageView] | None = None

    @property
    def pages(self) -> list[PageView]:
        record(self._token)
        if self._views is None:
            with unrecorded():  # the list's token already covers its members
                self._views = [self._state.page(p) for p in self._records]
        return self._views


class SectionView(_Listing):
    template_name = "section"

    def __init__(self, section: Section, state: SiteState) -> None:
        self._section = section
        self._state = state
        self._token = ("section", section.path)
        self._records = section.pages
        self.path = section.path
        self.title = section.title
        self.url = state.href(section.url)

    @property
    def index(self) -> PageView | None:
        return self._state.page(self._section.index) if self._section.index else None

    @property
    def subsections(self) -> list[SectionView]:
        record(("sections",))
        return [self._state.section(path) for path in self._section.subsections]


class TagView(_Listing):
    template_name = "tag"

    def __init__(self, tag: Tag, state: SiteState) -> None:
        self._state = state
        self._tag = tag
        self._token = ("tag", tag.slug)
        self._records = tag.pages
        self.name = tag.name
        self.slug = tag.slug
        self.url = state.href(tag.url)

    def __len__(self) -> int:
        record(("tag", self.slug))
        return len(self._tag.pages)


@dataclass(frozen=True)
class NavLink:
    title: str
    url: str


class SiteView:
    """`site` in templates."""

    template_name = "site"

    def __init__(self, state: SiteState) -> None:
        config = state.config
        self._state = state
        self.config = config
        self.title = config.title
        self.description = config.description
        self.author = config.author
        self.language = config.language
        self.base_url = config.base_url
        self.base_path = config.base_path
        self.params = config.params
        self.data = state.data
        self._pages: list[PageView] | None = None

    @property
    def nav(self) -> list[NavLink]:
        if self._state.config.nav:
            return [NavLink(i.title, self._state.href(i.url)) for i in self._state.config.nav]
        record(("sections",))
        top = self._state.collections.sections[""].subsections
        return [NavLink(s.title, s.url) for s in (self._state.section(p) for p in top)]

    @property
    def pages(self) -> list[PageView]:
        record(("pages",))
        if self._pages is None:
            with unrecorded():
                self._pages = [self._state.page(p) for p in self._state.collections.pages]
        return self._pages

    @property
    def sections(self) -> dict[str, SectionView]:
        record(("sections",))
        return {path: self._state.section(path) for path in self._state.collections.sections}

    @property
    def tags(self) -> dict[str, TagView]:
        record(("tags",))
        return {slug: self._state.tag(slug) for slug in self._state.collections.tags}
