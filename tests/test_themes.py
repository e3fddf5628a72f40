"""Themes: the site overrides theme files by path, themes extend themes, static files and assets."""

from __future__ import annotations

import re

from islandgen.themes import bundled_themes_dir

HASHED_CSS = re.compile(r"/css/(?P<stem>[\w-]+)\.(?P<hash>[0-9a-f]{8})\.css")

# Two themes in the site: 'child' extends 'parent'. Each file says where it came from.
FAMILY = {
    "islandgen.yaml": "theme: child\n",
    "themes/parent/theme.yaml": "name: parent\n",
    "themes/parent/layouts/base.html": """
        <!doctype html>
        <html><head><title>{{ page.title }}</title>{% block head %}{% endblock %}</head>
        <body><main data-base="parent">{% block main %}{% endblock %}</main></body></html>
    """,
    "themes/parent/layouts/page.html": """
        {% extends "layouts/base.html" %}
        {% block main %}<p class="from">parent page</p>{{ Sig() }}{% endblock %}
    """,
    "themes/parent/layouts/post.html": """
        {% extends "layouts/base.html" %}
        {% block main %}<p class="from">parent post</p>{{ Sig() }}{% endblock %}
    """,
    "themes/parent/layouts/list.html": """
        {% extends "layouts/base.html" %}
        {% block main %}<p class="from">parent list</p>{{ Sig() }}{% endblock %}
    """,
    "themes/parent/components/Sig.html": "<footer class=\"sig\">parent sig</footer>\n",
    "themes/parent/static/parent.txt": "parent only\n",
    "themes/parent/static/shared.txt": "parent shared\n",
    "themes/child/theme.yaml": "name: child\nextends: parent\n",
    "themes/child/layouts/post.html": """
        {% extends "layouts/base.html" %}
        {% block main %}<p class="from">child post</p>{{ Sig() }}{% endblock %}
    """,
    "themes/child/static/shared.txt": "child shared\n",
    "content/about.md": "# About\n",
    "content/blog/hi.md": "---\ntitle: Hi\ndate: 2024-05-01\n---\n",
}


def rendered_by(soup) -> tuple[str, str, str]:
    return (soup.main["data-base"], soup.select_one(".from").get_text(), soup.select_one(".sig").get_text())


def test_a_theme_inherits_what_it_does_not_override(make_site):
    site = make_site(FAMILY, theme="none")
    site.build()
    assert rendered_by(site.page("/about/")) == ("parent", "parent page", "parent sig")
    assert rendered_by(site.page("/blog/hi/")) == ("parent", "child post", "parent sig")


def test_the_site_overrides_any_theme_file_by_path(make_site):
    site = make_site(
        {
            **FAMILY,
            "layouts/page.html": """
                {% extends "layouts/base.html" %}
                {% block main %}<p class="from">site page</p>{{ Sig() }}{% endblock %}
            """,
            "components/Sig.html": "<footer class=\"sig\">site sig</footer>\n",
            "static/shared.txt": "site shared\n",
        },
        theme="none",
    )
    site.build()
    assert rendered_by(site.page("/about/")) == ("parent", "site page", "site sig")
    assert rendered_by(site.page("/blog/hi/")) == ("parent", "child post", "site sig")
    assert (site.out / "shared.txt").read_text() == "site shared\n"
    assert (site.out / "parent.txt").read_text() == "parent only\n"


def test_nearest_theme_static_file_wins(make_site):
    site = make_site(FAMILY, theme="none")
    site.build()
    assert (site.out / "shared.txt").read_text() == "child shared\n"
    assert (site.out / "parent.txt").read_text() == "parent only\n"


def test_an_override_extends_the_file_it_replaces_by_naming_the_theme(make_site):
    site = make_site(
        {
            **FAMILY,
            "layouts/base.html": """
                {% extends "parent:layouts/base.html" %}
                {% block head %}<meta name="added-by" content="site">{% endblock %}
            """,
        },
        theme="none",
    )
    site.build()
    for url in ("/about/", "/blog/hi/"):
        page = site.page(url)
        assert page.select_one('meta[name="added-by"]')["content"] == "site"
        assert page.main["data-base"] == "parent"


def test_default_theme_base_layout_can_be_extended_by_the_site(make_site):
    site = make_site(
        {
            "layouts/base.html": """
                {% extends "default:layouts/base.html" %}
                {% block head %}<meta name="generator-note" content="extended">{% endblock %}
            """,
            "content/about.md": "# About us\n",
        },
        theme="default",
    )
    site.build()
    page = site.page("/about/")
    assert page.select_one('meta[name="generator-note"]')["content"] == "extended"
    assert page.select_one("main h1").get_text(strip=True) == "About us"


def test_css_is_linked_with_a_content_hash(make_site):
    site = make_site({"content/index.md": "# Home\n"}, theme="default")
    site.build()
    hrefs = [link["href"] for link in site.page("/").select('link[rel="stylesheet"]')]
    site_css = next(h for h in hrefs if "/site." in h)
    assert HASHED_CSS.fullmatch(site_css)
    source = bundled_themes_dir() / "default" / "static" / "css" / "site.css"
    assert (site.out / site_css.lstrip("/")).read_bytes() == source.read_bytes()


def test_the_hash_follows_the_content(make_site):
    css = "body { color: black; }\n"
    first = make_site({"static/css/plain.css": css, "content/a.md": "A\n"}, name="one")
    second = make_site({"static/css/plain.css": css.replace("black", "navy"), "content/a.md": "A\n"},
                       name="two")
    first.build()
    second.build()
    one = first.page("/a/").link["href"]
    two = second.page("/a/").link["href"]
    assert HASHED_CSS.fullmatch(one)["stem"] == "plain"
    assert one != two
    assert (second.out / two.lstrip("/")).read_text() == css.replace("black", "navy")


def test_static_files_are_copied_byte_for_byte(make_site):
    png = bytes(range(256))
    site = make_site({
        "static/robots.txt": "User-agent: *\n",
        "static/img/pixel.png": png,
        "static/.hidden": "not published\n",
        "content/a.md": "A\n",
    })
    site.build()
    assert (site.out / "robots.txt").read_text() == "User-agent: *\n"
    assert (site.out / "img" / "pixel.png").read_bytes() == png
    assert not (site.out / ".hidden").exists()


def test_default_theme_pages_have_landmarks_and_a_skip_link(make_site):
    site = make_site(
        {
            "islandgen.yaml": "title: Landmarks\nlanguage: de\n",
            "content/index.md": "# Willkommen\n",
            "content/blog/hi.md": "---\ntitle: Hi\ndate: 2024-05-01\ntags: [x]\n---\nHallo.\n",
        },
        theme="default",
    )
    site.build()
    for url in ("/", "/blog/", "/blog/hi/", "/tags/x/", "/404.html"):
        page = site.page(url)
        assert page.html["lang"] == "de"
        skip = page.body.find("a")  # the first link of the page
        assert skip["href"] == "#main"
        assert page.select_one("#main").name == "main"
        assert len(page.select("main")) == 1
        assert page.select_one("header") is not None
        assert page.select_one("footer") is not None
        assert page.select_one('meta[name="viewport"]') is not None
    assert site.page("/404.html").select_one("main h1").get_text(strip=True) == "Page not found"


def nav_links(soup) -> list[tuple[str, str]]:
    return [(a.get_text(strip=True), a["href"]) for a in soup.select("header nav a")]


def test_navigation_defaults_to_the_top_sections(make_site):
    site = make_site(
        {
            "content/blog/hi.md": "---\ndate: 2024-05-01\n---\nHi.\n",
            "content/docs/index.md": "---\ntitle: Documentation\n---\n",
            "content/docs/guide/a.md": "A.\n",
            "content/about.md": "About.\n",
        },
        theme="default",
    )
    site.build()
    assert nav_links(site.page("/about/")) == [("Blog", "/blog/"), ("Documentation", "/docs/")]


def test_navigation_from_config(make_site):
    site = make_site(
        {
            "islandgen.yaml": """
                base_path: /sub/
                nav:
                  - {title: Start, url: /}
                  - {title: Code, url: "https://example.com/code"}
            """,
            "content/blog/hi.md": "---\ndate: 2024-05-01\n---\nHi.\n",
        },
        theme="default",
    )
    site.build()
    assert nav_links(site.page("/blog/hi/")) == [
        ("Start", "/sub/"),
        ("Code", "https://example.com/code"),
    ]


def test_canonical_url_uses_base_url_and_base_path(make_site):
    site = make_site(
        {
            "islandgen.yaml": "base_url: https://example.com/\nbase_path: /sub/\n",
            "content/blog/hi.md": "---\ndate: 2024-05-01\n---\nHi.\n",
        },
        theme="default",
    )
    site.build()
    canonical = site.page("/blog/hi/").select_one('link[rel="canonical"]')["href"]
    assert canonical == "https://example.com/sub/blog/hi/"
