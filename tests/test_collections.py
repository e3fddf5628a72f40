"""Sections, tags, previous/next, drafts and future-dated pages, seen through the default theme."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from islandgen.config import load_config
from islandgen.content.source import find_files, load_document
from islandgen.model import Page
from islandgen.routing.collections import Collections, build_collections, swap_pages
from islandgen.routing.pages import make_page


def listed(soup) -> list[str]:
    """Titles in the page's post list, in the order shown."""
    return [a.get_text(strip=True) for a in soup.select(".post-list__title a")]


def post(title: str, date: str, *extra: str) -> str:
    return "\n".join(["---", f"title: {title}", f"date: {date}", *extra, "---", f"{title}.", ""])


BLOG = {
    "content/blog/first.md": post("First", "2024-01-10", "tags: [python]"),
    "content/blog/second.md": post("Second", "2024-02-10", "tags: [python, web]"),
    "content/blog/third.md": post("Third", "2024-03-10", "tags: [web]"),
    "content/notes/aside.md": post("Aside", "2024-02-20", "tags: [Python]"),
}


def test_section_lists_its_pages_newest_first(make_site):
    site = make_site(BLOG, theme="default")
    site.build()
    assert listed(site.page("/blog/")) == ["Third", "Second", "First"]


def test_section_sorts_weighted_pages_first_by_weight(make_site):
    site = make_site(
        {
            "content/docs/index.md": "---\ntitle: Documentation\n---\nRead these in order.\n",
            "content/docs/install.md": "---\ntitle: Install\nweight: 1\n---\n",
            "content/docs/deploy.md": "---\ntitle: Deploy\nweight: 3\n---\n",
            "content/docs/configure.md": "---\ntitle: Configure\nweight: 2\n---\n",
            "content/docs/faq.md": "---\ntitle: FAQ\n---\n",
            "content/docs/changes.md": "---\ntitle: Changes\ndate: 2024-05-01\n---\n",
        },
        theme="default",
    )
    site.build()
    docs = site.page("/docs/")
    assert docs.select_one("main h1").get_text(strip=True) == "Documentation"
    assert listed(docs) == ["Install", "Configure", "Deploy", "Changes", "FAQ"]


def test_previous_and_next_follow_the_section_list(make_site):
    site = make_site(BLOG, theme="default")
    site.build()
    # the list reads Third, Second, First: Second sits between the other two
    middle = site.page("/blog/second/")
    assert middle.select_one("a[rel=prev]")["href"] == "/blog/third/"
    assert middle.select_one("a[rel=next]")["href"] == "/blog/first/"
    assert site.page("/blog/third/").select_one("a[rel=prev]") is None
    assert site.page("/blog/first/").select_one("a[rel=next]") is None


def test_a_section_may_mix_dated_and_undated_pages(make_site):
    site = make_site({**BLOG, "content/blog/colophon.md": "---\ntitle: Colophon\n---\n"},
                     theme="default")
    site.build()
    assert listed(site.page("/blog/")) == ["Third", "Second", "First", "Colophon"]
    assert site.page("/blog/first/").select_one("a[rel=next]")["href"] == "/blog/colophon/"


def test_previous_and_next_stay_inside_the_section(make_site):
    site = make_site(BLOG, theme="default")
    site.build()
    aside = site.page("/notes/aside/")
    assert aside.select_one("a[rel=prev]") is None
    assert aside.select_one("a[rel=next]") is None


def test_tags_gather_pages_across_sections(make_site):
    site = make_site(BLOG, theme="default")
    site.build()
    # 'python' and 'Python' are one tag; its page lists every carrier, newest first
    python = site.page("/tags/python/")
    assert listed(python) == ["Aside", "Second", "First"]
    # and it is spelt as in the first file that uses it, though 'Python' is on the newest page
    assert python.select_one(".tag-name").get_text() == "python"
    assert listed(site.page("/tags/web/")) == ["Third", "Second"]
    tag_links = site.page("/blog/second/").select("a[rel=tag]")
    assert [a["href"] for a in tag_links] == ["/tags/python/", "/tags/web/"]


def test_tags_index_lists_every_tag(make_site):
    site = make_site(BLOG, theme="default")
    site.build()
    links = site.page("/tags/").select("main a[rel=tag]")
    assert [a["href"] for a in links] == ["/tags/python/", "/tags/web/"]


DRAFTS = {
    "content/blog/live.md": post("Live", "2024-05-01", "tags: [shared]"),
    "content/blog/wip.md": post("Work in progress", "2024-05-02", "draft: true", "tags: [secret]"),
    "content/blog/later.md": post("Later", "2024-07-01", "tags: [soon]"),
}


def test_drafts_and_future_pages_are_left_out(make_site):
    site = make_site(DRAFTS, theme="default")
    result = site.build()
    assert not site.has("/blog/wip/")
    assert not site.has("/blog/later/")
    assert not site.has("/tags/secret/")
    assert not site.has("/tags/soon/")
    assert listed(site.page("/blog/")) == ["Live"]
    assert listed(site.page("/")) == ["Live"]
    assert (result.skipped_drafts, result.skipped_future) == (1, 1)


def test_drafts_option_includes_drafts_and_future_pages(make_site):
    site = make_site(DRAFTS, theme="default")
    site.build(drafts=True)
    assert listed(site.page("/blog/")) == ["Later", "Work in progress", "Live"]
    assert site.has("/tags/secret/")


def test_future_option_includes_future_pages_but_not_drafts(make_site):
    site = make_site(DRAFTS, theme="default")
    site.build(future=True)
    assert listed(site.page("/blog/")) == ["Later", "Live"]


@pytest.mark.parametrize(
    ("today", "published"),
    [
        pytest.param("2024-06-30T23:59:59", ["Live"], id="before-the-date"),
        pytest.param("2024-07-01T00:00:00", ["Later", "Live"], id="on-the-date"),
        pytest.param("2025-01-01T00:00:00", ["Later", "Live"], id="after-the-date"),
    ],
)
def test_future_page_appears_once_its_date_has_come(make_site, today, published):
    site = make_site(DRAFTS, theme="default")
    site.build(now=dt.datetime.fromisoformat(today).replace(tzinfo=dt.UTC))
    assert listed(site.page("/blog/")) == published


def test_draft_false_is_published(make_site):
    site = make_site({"content/blog/done.md": post("Done", "2024-05-01", "draft: false")})
    site.build()
    assert site.has("/blog/done/")


def test_swapping_in_re_read_pages_gives_what_grouping_them_again_would(make_site):
    """A session's body edit puts the re-read page in every list, as a full regrouping does."""
    site = make_site({**BLOG, "content/blog/index.md": "---\ntitle: Blog\n---\n",
                      "content/blog/fourth.md": post("Fourth", "2024-04-10", "tags: [web]")})
    config = load_config(site.root)
    content = site.root / "content"
    pages = [make_page(load_document(path, content), config, ZoneInfo("UTC"))
             for path in find_files(content, (".md",))]
    before = build_collections(pages)
    # re-read objects of a page in the middle of its section, and of the section's index
    fresh = {page.id: replace(page) for page in pages if page.id in ("blog/second", "blog/index")}
    after = [fresh.get(page.id, page) for page in pages]

    swapped = swap_pages(before, fresh)

    assert shape(swapped) == shape(build_collections(after))
    assert shape(swap_pages(before, {})) == shape(before)


def shape(collections: Collections) -> object:
    """Everything the collections hold, pages by id and by identity (which object is listed)."""
    def ref(page: Page | None) -> object:
        return None if page is None else (page.id, id(page))

    return (
        [ref(p) for p in collections.pages],
        {path: (s.title, s.url, ref(s.index), [ref(p) for p in s.pages], s.subsections)
         for path, s in collections.sections.items()},
        [(slug, t.name, t.url, [ref(p) for p in t.pages]) for slug, t in collections.tags.items()],
        {page_id: (ref(a), ref(b)) for page_id, (a, b) in collections.neighbours.items()},
    )
