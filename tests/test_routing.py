"""Where pages land and what renders them.

Content paths, layouts, slugs, permalink patterns, page templates, dynamic
routes (from tags and from a Python data loader) and pagination.
"""

from __future__ import annotations

import pytest


def titles(soup, selector: str = "ul.pages a") -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(selector)]


def hrefs(soup, selector: str = "ul.pages a") -> list[str]:
    return [a["href"] for a in soup.select(selector)]


@pytest.mark.parametrize(
    ("source", "url"),
    [
        pytest.param("content/about.md", "/about/", id="top-level-page"),
        pytest.param("content/blog/hi.md", "/blog/hi/", id="page-in-folder"),
        pytest.param("content/docs/guide/setup.md", "/docs/guide/setup/", id="nested-folders"),
        pytest.param("content/index.md", "/", id="home-index"),
        pytest.param("content/docs/index.md", "/docs/", id="folder-index"),
    ],
)
def test_content_path_is_the_route(make_site, source, url):
    site = make_site({source: "---\ntitle: The page\n---\nHello.\n"})
    site.build()
    assert site.page(url).select_one("h1.title").get_text() == "The page"


@pytest.mark.parametrize(
    ("source", "front_matter", "url", "layout"),
    [
        pytest.param("content/blog/a.md", "layout: wide", "/blog/a/", "wide", id="front-matter"),
        pytest.param("content/index.md", "", "/", "home", id="home"),
        pytest.param("content/blog/index.md", "", "/blog/", "list", id="folder-index"),
        pytest.param("content/docs/a.md", "date: 2024-05-01", "/docs/a/", "docs", id="top-folder"),
        pytest.param("content/docs/deep/a.md", "", "/docs/deep/a/", "docs", id="top-folder-nested"),
        pytest.param("content/blog/a.md", "date: 2024-05-01", "/blog/a/", "post", id="dated"),
        pytest.param("content/blog/a.md", "", "/blog/a/", "page", id="undated"),
    ],
)
def test_layout_lookup_order(make_site, source, front_matter, url, layout):
    site = make_site({
        source: f"---\n{front_matter}\n---\nBody.\n",
        "layouts/wide.html": '<main data-layout="wide">{{ content }}</main>\n',
        "layouts/docs.html": '<main data-layout="docs">{{ content }}</main>\n',
    })
    site.build()
    assert site.page(url).main["data-layout"] == layout


def test_folders_without_index_get_a_list_page(make_site):
    site = make_site({"content/notes/a.md": "# A\n", "content/notes/b.md": "# B\n"})
    site.build()
    notes = site.page("/notes/")
    assert notes.main["data-layout"] == "list"
    assert notes.select_one("h1.title").get_text() == "Notes"
    assert titles(notes) == ["A", "B"]


def test_front_matter_slug_replaces_the_file_name(make_site):
    site = make_site({"content/blog/2024-05-01-hello.md": "---\nslug: greetings\n---\nHi.\n"})
    site.build()
    assert site.has("/blog/greetings/")
    assert not site.has("/blog/2024-05-01-hello/")


def test_section_permalink_pattern(make_site):
    site = make_site({
        "islandgen.yaml": """
            theme: plain
            permalinks:
              blog: "/:year/:month/:slug/"
        """,
        "content/blog/hello-world.md": "---\ndate: 2024-05-01\n---\nHi.\n",
        "content/blog/renamed.md": "---\ndate: 2023-12-24\nslug: xmas\n---\nHo.\n",
        "content/docs/intro.md": "Not in blog, so not affected.\n",
    })
    site.build()
    assert site.has("/2024/05/hello-world/")
    assert site.has("/2023/12/xmas/")
    assert site.has("/docs/intro/")
    assert not site.has("/blog/hello-world/")


def test_front_matter_permalink_wins_over_the_path(make_site):
    site = make_site({
        "content/blog/hi.md": "---\ntitle: Hi\npermalink: /greetings/from/me/\n---\nHi.\n",
    })
    site.build()
    assert site.page("/greetings/from/me/").select_one("h1.title").get_text() == "Hi"
    assert not site.has("/blog/hi/")


def test_page_url_is_the_route_in_every_listing(make_site):
    site = make_site({
        "islandgen.yaml": "theme: plain\npermalinks:\n  blog: /:year/:slug/\n",
        "content/index.md": "# Home\n",
        "content/blog/post.md": "---\ntitle: Post\ndate: 2024-05-01\n---\nHi.\n",
    })
    site.build()
    assert hrefs(site.page("/")) == ["/2024/post/"]
    assert site.has("/2024/post/")


@pytest.mark.parametrize(
    ("template", "url"),
    [
        pytest.param("pages/about.html", "/about/", id="page"),
        pytest.param("pages/contact/index.html", "/contact/", id="folder-index"),
        pytest.param("pages/index.html", "/", id="home"),
        pytest.param("pages/feed.xml", "/feed.xml", id="non-html-keeps-its-name"),
    ],
)
def test_page_templates_are_routes(make_site, template, url):
    site = make_site({
        template: """
            ---
            title: From a template
            ---
            <p id="out">{{ page.title }} at {{ page.url }} for {{ site.title }}</p>
        """,
        "islandgen.yaml": "theme: plain\ntitle: Test site\n",
    })
    site.build()
    assert site.page(url).select_one("#out").get_text() == f"From a template at {url} for Test site"


def test_page_template_extends_a_theme_layout(make_site):
    site = make_site({
        "pages/about.html": """
            ---
            title: About us
            ---
            {% extends "layouts/base.html" %}
            {% block layout %}custom{% endblock %}
            {% block main %}<p>We are {{ page.title }}.</p>{% endblock %}
        """,
    })
    site.build()
    page = site.page("/about/")
    assert page.title.get_text() == "About us"
    assert page.main["data-layout"] == "custom"
    assert page.main.p.get_text() == "We are About us."


TAG_PAGE = """
    ---
    title: Tagged
    paths: site.tags
    ---
    {% set tag = site.tags[params.tag] %}
    <h1>{{ tag.name }}</h1>
    <ul class="pages">
    {% for item in tag.pages %}<li><a href="{{ item.url }}">{{ item.title }}</a></li>{% endfor %}
    </ul>
"""


def test_dynamic_route_makes_one_page_per_tag(make_site):
    site = make_site({
        "pages/tags/[tag].html": TAG_PAGE,
        "content/blog/a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [python, Web Dev]\n---\n",
        "content/notes/b.md": "---\ntitle: B\ndate: 2024-02-01\ntags: [python]\n---\n",
    })
    site.build()
    python = site.page("/tags/python/")
    assert python.h1.get_text() == "python"
    assert titles(python) == ["B", "A"]  # newest first, across sections
    web = site.page("/tags/web-dev/")
    assert web.h1.get_text() == "Web Dev"
    assert hrefs(web) == ["/blog/a/"]


def test_dynamic_route_paths_from_a_python_data_loader(make_site):
    site = make_site({
        "data/products.py": """
            def load():
                return [
                    {"sku": "kettle", "name": "Kettle", "price": 30},
                    {"sku": "teapot", "name": "Teapot", "price": 25},
                ]
        """,
        "pages/products/[sku].html": """
            ---
            paths: site.data.products
            ---
            <h1>{{ props.name }}</h1>
            <p class="price">{{ props.price }}</p>
            <p class="sku">{{ params.sku }}</p>
        """,
    })
    site.build()
    kettle = site.page("/products/kettle/")
    assert kettle.h1.get_text() == "Kettle"
    assert kettle.select_one(".price").get_text() == "30"
    assert kettle.select_one(".sku").get_text() == "kettle"
    assert site.page("/products/teapot/").h1.get_text() == "Teapot"


def numbered_posts(count: int) -> dict[str, str]:
    """Posts p1..pN, dated one day apart, so newest first is pN..p1."""
    return {
        f"content/blog/p{n}.md": f"---\ntitle: Post {n}\ndate: 2024-01-{n:02d}\n---\nBody {n}.\n"
        for n in range(1, count + 1)
    }


def test_paginated_page_template(make_site):
    site = make_site({
        **numbered_posts(5),
        "pages/archive.html": """
            ---
            paginate: site.pages
            per_page: 2
            ---
            {% extends "layouts/base.html" %}
            {% block main %}
            <p class="where">
              {{- pager.number }}/{{ pager.total_pages }} of {{ pager.total_items -}}
            </p>
            <ul class="pages">
            {% for item in pager.items %}
              <li><a href="{{ item.url }}">{{ item.title }}</a></li>
            {% endfor %}
            </ul>
            {% if pager.prev_url %}<a rel="prev" href="{{ pager.prev_url }}">newer</a>{% endif %}
            {% if pager.next_url %}<a rel="next" href="{{ pager.next_url }}">older</a>{% endif %}
            {% endblock %}
        """,
    })
    site.build()
    first, second, third = map(site.page, ["/archive/", "/archive/page/2/", "/archive/page/3/"])
    assert [p.select_one(".where").get_text() for p in (first, second, third)] == [
        "1/3 of 5", "2/3 of 5", "3/3 of 5"
    ]
    assert titles(first) == ["Post 5", "Post 4"]
    assert titles(second) == ["Post 3", "Post 2"]
    assert titles(third) == ["Post 1"]
    assert first.select_one("a[rel=prev]") is None
    assert first.select_one("a[rel=next]")["href"] == "/archive/page/2/"
    assert second.select_one("a[rel=prev]")["href"] == "/archive/"
    assert second.select_one("a[rel=next]")["href"] == "/archive/page/3/"
    assert third.select_one("a[rel=next]") is None
    assert not site.has("/archive/page/4/")
    assert not site.has("/archive/page/1/")


def test_paginated_dynamic_route(make_site):
    posts = {
        f"content/blog/p{n}.md": f"---\ntitle: Post {n}\ndate: 2024-01-{n:02d}\ntags: [t]\n---\n"
        for n in range(1, 4)
    }
    site = make_site({
        **posts,
        "pages/tags/[tag].html": """
            ---
            paths: site.tags
            paginate: site.tags[params.tag].pages
            per_page: 2
            ---
            <ul class="pages">
            {% for item in pager.items %}
              <li><a href="{{ item.url }}">{{ item.title }}</a></li>
            {% endfor %}
            </ul>
        """,
    })
    site.build()
    assert titles(site.page("/tags/t/")) == ["Post 3", "Post 2"]
    assert titles(site.page("/tags/t/page/2/")) == ["Post 1"]


def test_section_list_is_paginated_by_config(make_site):
    site = make_site({
        **numbered_posts(3),
        "islandgen.yaml": "theme: plain\nbuild:\n  pagination: 2\n",
    })
    site.build()
    first, second = site.page("/blog/"), site.page("/blog/page/2/")
    assert first.main["data-layout"] == "list"
    assert titles(first) == ["Post 3", "Post 2"]
    assert titles(second) == ["Post 1"]
    assert first.select_one("a[rel=next]")["href"] == "/blog/page/2/"
    assert second.select_one("a[rel=prev]")["href"] == "/blog/"


def test_base_path_prefixes_every_generated_url(make_site):
    site = make_site({
        **numbered_posts(3),
        "islandgen.yaml": "theme: plain\nbase_path: /sub/\n",
        "content/index.md": "# Home\n",
        "content/blog/p1.md": "---\ntitle: Post 1\ndate: 2024-01-01\n---\nSee [two](p2.md).\n",
    })
    site.build()
    # files stay at the root of the output; links carry the base path
    assert hrefs(site.page("/")) == ["/sub/blog/p3/", "/sub/blog/p2/", "/sub/blog/p1/"]
    assert site.page("/blog/p1/").select_one(".content a")["href"] == "/sub/blog/p2/"
    assert site.page("/").select_one("link[rel=stylesheet]")["href"].startswith("/sub/css/plain.")
