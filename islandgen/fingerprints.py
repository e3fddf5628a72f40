"""Dependency tokens -> fingerprints of what they stand for in this build.

A token is recorded while a route renders (see deps.py); its fingerprint here
changes exactly when what the route could have read through it changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .deps import Token, digest, file_digest
from .model import Page, RenderedMarkdown
from .routing.collections import Collections

# tokens of lists of pages: their fingerprints depend on which pages are listed, in what
# order, with what routing facts and page digests, and on nothing else
_LISTS = frozenset({"pages", "section", "tag", "tags", "sections", "neighbours"})


class Fingerprints:
    """Memoized fingerprints of tokens for one build."""

    def __init__(
        self,
        collections: Collections,
        rendered: Mapping[str, RenderedMarkdown],
        component_files: Mapping[str, tuple[Path, ...]],
        page_digests: dict[int, tuple[Page, str]] | None = None,
        *,
        pages: dict[str, Page] | None = None,  # collections.pages by id, if the caller has it
    ) -> None:
        self.collections = collections
        self.rendered = rendered
        self.component_files = component_files
        self.pages = pages if pages is not None else {page.id: page for page in collections.pages}
        self._memo: dict[Token, str] = {}
        self.lists: dict[Token, str] = {}  # the list tokens' fingerprints, for the next build
        # id(page) -> (page, digest): kept by a session across builds, since pages that did
        # not change are the very same objects (the page is held so its id stays unique)
        self.page_digests = page_digests if page_digests is not None else {}

    def of(self, token: Token) -> str:
        value = self._memo.get(token)
        if value is None:
            value = self._memo[token] = self._compute(token)
            if token[0] in _LISTS:
                self.lists[token] = value
        return value

    def inherit_lists(self, before: Mapping[Token, str],
                      swaps: Mapping[str, tuple[Page, Page]]) -> None:
        """Take the last build's fingerprints of the lists of pages (`before`), when this
        build lists the same pages with the same routing facts and only the pages in `swaps`
        (id -> last build's object, this one's) are new objects, each with an unchanged digest.

        A body edit in a session is such a build: hashing the list of all pages and the
        page's section and tags again cost it 5-8 ms at 4,000 pages.
        """
        if all(self._page(page_id) == self._digest(old) for page_id, (old, _) in swaps.items()):
            self._memo.update(before)
            self.lists.update(before)

    def _compute(self, token: Token) -> str:
        kind, *args = token
        if kind == "page":
            return self._page(args[0])
        if kind == "neighbours":
            before, after = self.collections.neighbours.get(args[0], (None, None))
            return digest(before.id if before else None, after.id if after else None)
        if kind == "content":
            rendered = self.rendered.get(args[0])
            return digest(rendered.html, rendered.toc) if rendered else "gone"
        if kind == "summary":
            rendered = self.rendered.get(args[0])
            page = self.pages.get(args[0])
            return digest(page.summary if page else None, rendered.summary if rendered else None)
        if kind == "section":
            section = self.collections.sections.get(args[0])
            if section is None:
                return "gone"
            members = [(p.id, self._page(p.id)) for p in section.pages]
            index = section.index.id if section.index else None
            return digest(section.url, section.title, index, members, section.subsections)
        if kind == "tag":
            tag = self.collections.tags.get(args[0])
            if tag is None:
                return "gone"
            return digest(tag.name, tag.url, [(p.id, self._page(p.id)) for p in tag.pages])
        if kind == "pages":
            return digest([(p.id, self._page(p.id)) for p in self.collections.pages])
        if kind == "tags":
            return digest([(t.slug, t.name, len(t.pages)) for t in self.collections.tags.values()])
        if kind == "sections":
            return digest([(s.path, s.title, s.url, s.subsections)
                           for s in self.collections.sections.values()])
        if kind == "component":  # every file of it: a client component's module and its shell
            files = self.component_files.get(args[0])
            if not files:
                return "gone"
            return digest([(str(path), file_digest(path.read_bytes())) for path in files])
        return "unknown"

    def _page(self, page_id: str) -> str:
        token = ("page", page_id)
        value = self._memo.get(token)
        if value is None:
            page = self.pages.get(page_id)
            value = "gone" if page is None else self._digest(page)
            self._memo[token] = value
        return value

    def _digest(self, page: Page) -> str:
        known = self.page_digests.get(id(page))
        if known is None or known[0] is not page:
            known = self.page_digests[id(page)] = (page, _page_digest(page))
        return known[1]


def _page_digest(page: Page) -> str:
    return digest(page.url, page.title, page.date, page.updated, page.tags, page.weight,
                  page.draft, page.section, page.slug, page.layout, page.summary,
                  sorted(page.meta.items(), key=lambda item: str(item[0])))
