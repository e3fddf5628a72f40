"""Markdown bodies -> HTML: GFM features, code, literal template syntax, components, links, toc.

The cases in fixtures/markdown.txt are Markdown in, page body HTML out, in the
markdown-it-py fixture format: a title line, then `.`, the input, `.`, the
expected HTML, `.`.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from islandgen import IslandgenError

FIXTURES = Path(__file__).parent / "fixtures"


def read_fixtures(path: Path) -> list[pytest.param]:  # type: ignore[valid-type]
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
            continue
        title = lines[start]
        assert lines[start + 1] == ".", f"{path.name}:{start + 2}: expected '.' after {title!r}"
        input_end = lines.index(".", start + 2)
        expected_end = lines.index(".", input_end + 1)
        source = "\n".join(lines[start + 2 : input_end]) + "\n"
        expected = "\n".join(lines[input_end + 1 : expected_end])
        cases.append(pytest.param(source, expected, id=title.replace(" ", "-")))
        start = expected_end + 1
    return cases


def normalized(fragment: str) -> str:
    """HTML re-serialized by one parser, so `<br />` and `<br>` compare equal."""
    return str(BeautifulSoup(fragment, "html.parser")).strip()


FIXTURE_SITE = {
    "islandgen.yaml": "theme: plain\ntitle: Fixtures\n",
    "components/Card.html": """
        {% props title %}
        <article class="card"><h3>{{ title }}</h3>{{ children }}</article>
    """,
    "components/badges.py": """
        from markupsafe import Markup


        def Badge(label: str, tone: str = "info") -> Markup:
            return Markup('<span class="badge badge-{}">{}</span>').format(tone, label)
    """,
}


@pytest.mark.parametrize(("source", "expected"), read_fixtures(FIXTURES / "markdown.txt"))
def test_markdown_fixture(make_site, source, expected):
    site = make_site({
        **FIXTURE_SITE,
        "content/case.md": b"---\ntitle: Case\n---\n" + source.encode("utf-8"),
    })
    site.build()
    body = site.page("/case/").select_one("div.content").decode_contents()
    assert normalized(body) == normalized(expected)


def test_fenced_code_is_highlighted_with_pygments(make_site):
    site = make_site({
        "content/code.md": """
            ```python
            def greet(name):
                return f"hi {name}"  # {{ not a template }}
            ```
        """,
    })
    site.build()
    block = site.page("/code/").select_one("div.content pre.highlight")
    assert block["data-lang"] == "python"
    assert block.code["class"] == ["language-python"]
    assert block.select_one("span.k").get_text() == "def"  # Pygments' keyword token
    assert block.select_one("span.nf").get_text() == "greet"  # ... and function name
    assert block.get_text() == 'def greet(name):\n    return f"hi {name}"  # {{ not a template }}\n'


def test_highlight_stylesheet_is_generated(make_site):
    site = make_site({
        "layouts/page.html": '<link rel="stylesheet" href="{{ asset(\'css/highlight.css\') }}">\n',
        "content/code.md": "```python\nx = 1\n```\n",
    })
    site.build()
    href = site.page("/code/").link["href"]
    assert href.startswith("/css/highlight.")
    assert "pre.highlight" in (site.out / href.lstrip("/")).read_text(encoding="utf-8")


def test_markdown_options_turn_features_off(make_site):
    site = make_site({
        "islandgen.yaml": "theme: plain\nmarkdown:\n  anchors: false\n  highlight: false\n  html: false\n",
        "content/a.md": "## Title\n\n<b>raw</b>\n\n```python\nx = 1\n```\n",
    })
    site.build()
    content = site.page("/a/").select_one("div.content")
    assert content.h2.get("id") is None
    assert content.h2.a is None
    assert content.select("b") == []  # raw HTML is shown as text
    assert "<b>raw</b>" in content.get_text()
    assert content.select("pre span") == []
    assert content.pre.get_text() == "x = 1\n"


def test_unknown_language_is_escaped_not_guessed(make_site):
    site = make_site({"content/code.md": "```nosuchlang\n<b>x</b> & y\n```\n"})
    site.build()
    block = site.page("/code/").select_one("pre.highlight")
    assert block.select("span") == []
    assert block.get_text() == "<b>x</b> & y\n"


def test_table_of_contents(make_site):
    site = make_site({
        "content/guide.md": """
            # Guide
            ## Install it
            ### On Linux
            #### Deep detail
            ## Use `it`
        """,
    })
    site.build()
    page = site.page("/guide/")
    toc = [(a["data-level"], a["href"], a.get_text()) for a in page.select("nav.toc a")]
    assert toc == [
        ("1", "#guide", "Guide"),
        ("2", "#install-it", "Install it"),
        ("3", "#on-linux", "On Linux"),
        ("2", "#use-it", "Use it"),
    ]
    for _level, href, _text in toc:  # every entry points at a heading on the page
        assert page.select_one(f"div.content {href}").name in ("h1", "h2", "h3")


def test_heading_anchor_links_point_at_their_heading(make_site):
    site = make_site({"content/a.md": "## First steps\n\nText.\n"})
    site.build()
    heading = site.page("/a/").select_one("div.content h2")
    assert heading["id"] == "first-steps"
    assert heading.a["href"] == "#first-steps"
    assert heading.a["aria-label"]  # a bare '#' needs an accessible name


def test_relative_markdown_links_become_page_urls(make_site):
    site = make_site({
        "islandgen.yaml": "theme: plain\npermalinks:\n  blog: /:year/:slug/\n",
        "content/index.md": "# Home\n",
        "content/about.md": "# About\n",
        "content/docs/setup.md": "# Setup\n",
        "content/docs/index.md": "# Docs\n",
        "content/docs/diagram.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
        "content/blog/hi.md": """
            ---
            date: 2024-05-01
            ---
            [about](../about.md#team), [setup](../docs/setup.md),
            [docs](../docs/index.md), [home](../index.md), [self](hi.md),
            [site](https://example.com/x.md), [anchor](#top), [root](/abs/),
            [by reference][ref], ![diagram](../docs/diagram.svg)

            [ref]: ../about.md
        """,
    })
    site.build()
    page = site.page("/2024/hi/")
    links = {a.get_text(): a["href"] for a in page.select("div.content a")}
    assert links == {
        "about": "/about/#team",
        "setup": "/docs/setup/",
        "docs": "/docs/",
        "home": "/",
        "self": "/2024/hi/",
        "site": "https://example.com/x.md",
        "anchor": "#top",
        "root": "/abs/",
        "by reference": "/about/",
    }
    assert page.select_one("div.content img")["src"] == "/docs/diagram.svg"
    assert (site.out / "docs" / "diagram.svg").is_file()


def test_link_to_a_missing_page_is_an_error_at_its_line(make_site):
    site = make_site({
        "content/blog/hi.md": "---\ntitle: Hi\n---\nIntro.\n\nSee [the other](other.md).\n",
    })
    with pytest.raises(IslandgenError) as caught:
        site.build()
    error = caught.value
    assert (error.path.name, error.line) == ("hi.md", 6)
    assert "other.md" in error.message


def test_markdown_filter_renders_front_matter_text(make_site):
    site = make_site({
        "layouts/page.html": "<div class=\"lede\">{{ page.lede | markdown }}</div>\n",
        "content/a.md": "---\nlede: Some *emphasis* here.\n---\n",
    })
    site.build()
    assert str(site.page("/a/").select_one(".lede em")) == "<em>emphasis</em>"
