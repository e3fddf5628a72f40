"""Content files as people write them: front matter, titles, dates, line endings, file names."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from islandgen import IslandgenError


def title_of(site, url: str) -> str:
    return site.page(url).select_one("h1.title").get_text()


@pytest.mark.parametrize(
    ("files", "url", "title"),
    [
        pytest.param(
            {"content/a.md": "---\ntitle: From front matter\n---\n# From the heading\n"},
            "/a/", "From front matter", id="front-matter",
        ),
        pytest.param(
            {"content/a.md": "Intro.\n\n# The *first* heading\n\n# Second heading\n"},
            "/a/", "The first heading", id="first-h1",
        ),
        pytest.param(
            {"content/a.md": "```\n# a comment in code\n```\n\n# Real title\n"},
            "/a/", "Real title", id="h1-in-code-is-not-a-title",
        ),
        pytest.param(
            {"content/release-notes.md": "No heading here.\n"},
            "/release-notes/", "Release notes", id="file-name",
        ),
        pytest.param(
            {"content/getting-started/index.md": "## Only a subheading\n"},
            "/getting-started/", "Getting started", id="folder-name-for-index",
        ),
    ],
)
def test_title_falls_back_to_first_heading_then_file_name(make_site, files, url, title):
    site = make_site(files)
    site.build()
    assert title_of(site, url) == title
    assert site.page(url).title.get_text() == title


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        pytest.param("2013-02-24 09:06:22 +0000", "2013-02-24T09:06:22+00:00", id="jekyll"),
        pytest.param("2013-02-24 09:06:22 -0500", "2013-02-24T09:06:22-05:00", id="jekyll-west"),
        pytest.param("2024-05-01", "2024-05-01T00:00:00+00:00", id="yaml-date"),
        pytest.param("2024-05-01T09:30:00Z", "2024-05-01T09:30:00+00:00", id="yaml-timestamp"),
        pytest.param("2024-05-01 09:30", "2024-05-01T09:30:00+00:00", id="no-seconds"),
        pytest.param('"2024-05-01"', "2024-05-01T00:00:00+00:00", id="quoted-date"),
        pytest.param(
            "'2024-05-01T09:30:00+02:00'", "2024-05-01T09:30:00+02:00", id="quoted-iso-with-offset"
        ),
        pytest.param('"2024-05-01T09:30:00"', "2024-05-01T09:30:00+00:00", id="quoted-iso-naive"),
    ],
)
def test_dates_in_every_common_form(make_site, written, iso):
    site = make_site({"content/blog/a.md": f"---\ntitle: A\ndate: {written}\n---\n"})
    site.build()
    page = site.page("/blog/a/")
    assert page.main["data-layout"] == "post"  # it is a dated page
    assert page.time["datetime"] == iso


def test_naive_dates_use_the_configured_time_zone(make_site):
    site = make_site({
        "islandgen.yaml": "theme: plain\nbuild:\n  timezone: Europe/Paris\n",
        "content/blog/a.md": "---\ndate: 2024-05-01 09:30\n---\n",
    })
    site.build()
    assert site.page("/blog/a/").time["datetime"] == "2024-05-01T09:30:00+02:00"


def test_custom_front_matter_reaches_templates(make_site):
    site = make_site({
        "layouts/page.html": """
            <p class="hero">{{ page.hero_image }}</p>
            <p class="meta">{{ page.meta.rating }}</p>
            <p class="list">{{ page.authors | join(", ") }}</p>
        """,
        "content/a.md": "---\nhero_image: /img/sky.jpg\nrating: 5\nauthors: [Ann, Bo]\n---\n",
    })
    site.build()
    page = site.page("/a/")
    assert [p.get_text() for p in page.select("p")] == ["/img/sky.jpg", "5", "Ann, Bo"]


def test_front_matter_values_are_text_not_templates(make_site):
    site = make_site({
        "layouts/page.html": "<title>{{ page.title }}</title><p>{{ page.note }}</p>\n",
        "content/a.md": "---\ntitle: \"{{ 6 * 7 }} <b>bold</b>\"\nnote: \"{% if x %}\"\n---\n",
    })
    site.build()
    page = site.page("/a/")
    assert page.title.get_text() == "{{ 6 * 7 }} <b>bold</b>"
    assert page.select("b") == []
    assert page.p.get_text() == "{% if x %}"


@pytest.mark.parametrize(
    ("front_matter", "body", "summary"),
    [
        pytest.param("summary: By hand.", "First para.\n", "By hand.", id="front-matter"),
        pytest.param("", "Above.\n\n<!-- more -->\n\nBelow.\n", "Above.", id="more-marker"),
        pytest.param("", "# Title\n\nFirst *para*.\n\nNext.\n", "First para.", id="first-para"),
    ],
)
def test_summary(make_site, front_matter, body, summary):
    site = make_site({
        "layouts/page.html": '<div class="summary">{{ page.summary }}</div>\n',
        "content/a.md": f"---\ntitle: A\n{front_matter}\n---\n{body}",
    })
    site.build()
    assert site.page("/a/").select_one(".summary").get_text().strip() == summary


LF_PAGE = (
    "---\n"
    "title: Line endings\n"
    "tags: [a, b]\n"
    "date: 2024-05-01\n"
    "---\n"
    "# Heading\n"
    "\n"
    "Some *text*\n"
    "over two lines.\n"
    "\n"
    "```python\n"
    "x = 1\n"
    "```\n"
    "\n"
    ":::Card(title=\"box\")\n"
    "- item\n"
    ":::\n"
)


@pytest.mark.parametrize(
    "variant",
    [
        pytest.param(LF_PAGE.replace("\n", "\r\n"), id="crlf"),
        pytest.param(LF_PAGE.rstrip("\n"), id="no-final-newline"),
        pytest.param(LF_PAGE.replace("\n", "\r\n").rstrip("\r\n"), id="crlf-no-final-newline"),
        pytest.param("\ufeff" + LF_PAGE, id="byte-order-mark"),
    ],
)
def test_line_endings_do_not_change_the_output(make_site, variant):
    card = "{% props title %}\n<div class=\"card\">{{ title }}{{ children }}</div>\n"
    built = {}
    for name, text in (("lf", LF_PAGE), ("variant", variant)):
        site = make_site(
            {"components/Card.html": card, "content/blog/a.md": text.encode("utf-8")}, name=name
        )
        site.build()
        built[name] = site.file("/blog/a/").read_bytes()
    assert built["variant"] == built["lf"]
    assert b"<li>item</li>" in built["lf"]


def test_front_matter_only_and_empty_files_build(make_site):
    site = make_site({
        "content/only-meta.md": "---\ntitle: Only meta\n---\n",
        "content/empty.md": "",
        "content/empty-meta.md": "---\n---\nBody.\n",
    })
    site.build()
    assert title_of(site, "/only-meta/") == "Only meta"
    assert title_of(site, "/empty/") == "Empty"
    assert site.page("/empty-meta/").select_one(".content").get_text(strip=True) == "Body."


# A URL path made only of RFC 3986 path characters, every % starting an escape.
VALID_URL_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*")


@pytest.mark.parametrize(
    ("file_name", "decoded_url"),
    [
        pytest.param("100% done.md", "/blog/100%-done/", id="percent-and-space"),
        pytest.param("[draft] notes.md", "/blog/[draft]-notes/", id="brackets"),
        pytest.param("{braces}.md", "/blog/{braces}/", id="braces"),
        pytest.param("v1.2.3.release.md", "/blog/v1.2.3.release/", id="several-dots"),
        pytest.param("café crème.md", "/blog/café-crème/", id="non-ascii"),
        pytest.param("日本語.md", "/blog/日本語/", id="cjk"),
        pytest.param("a#b?c.md", "/blog/a#b?c/", id="hash-and-question-mark"),
    ],
)
def test_awkward_file_names_get_valid_encoded_urls(make_site, file_name, decoded_url):
    site = make_site({
        f"content/blog/{file_name}": "---\ntitle: Awkward\ndate: 2024-05-01\n---\nHi.\n",
    })
    site.build()
    [href] = [a["href"] for a in site.page("/blog/").select("ul.pages a")]
    assert VALID_URL_PATH.fullmatch(href), href
    assert unquote(href) == decoded_url
    assert title_of(site, href) == "Awkward"  # the file is where the link points


def test_awkward_file_names_can_be_linked_from_markdown(make_site):
    site = make_site({
        "content/blog/100% done.md": "# Done\n",
        "content/blog/café.md": "[done](100%25%20done.md) and [plain](<100% done.md>)\n",
    })
    site.build()
    links = [a["href"] for a in site.page("/blog/caf%C3%A9/").select(".content a")]
    assert links == ["/blog/100%25-done/", "/blog/100%25-done/"]


def test_front_matter_type_errors_name_the_key_and_line(make_site):
    site = make_site({"content/a.md": "---\ntitle: A\ndraft: maybe\n---\n"})
    with pytest.raises(IslandgenError) as caught:
        site.build()
    assert (caught.value.path.name, caught.value.line) == ("a.md", 3)
    assert "'draft'" in caught.value.message
