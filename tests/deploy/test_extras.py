"""Files beside the pages (sitemap, robots, alias redirects, host files), the feeds and the
default theme's meta tags, asserted on small sites built in-process."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from islandgen import IslandgenError

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
CONFIG = "theme: plain\nbase_url: https://example.org\nbase_path: /docs-site/\n"


def locs(site) -> dict[str, str | None]:
    root = ET.parse(site.out / "sitemap.xml").getroot()
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod")
            for url in root.iter(f"{SITEMAP}url")}


def test_sitemap_has_indexable_pages_with_lastmod(make_site):
    site = make_site({
        "islandgen.yaml": CONFIG,
        "content/index.md": "# Home\n",
        "content/post.md": "---\ndate: 2024-05-01\nupdated: 2024-05-03\n---\n# Post\n",
        "content/old.md": "---\ndate: 2024-04-01\n---\n# Old\n",
        "content/hidden.md": "---\nnoindex: true\n---\n# Hidden\n",
        "content/draft.md": "---\ndraft: true\n---\n# Draft\n",
        "pages/about.html": "<!doctype html><title>About</title>\n",
        "pages/private.html": "---\nnoindex: true\n---\n<!doctype html><title>Private</title>\n",
        "pages/data.json": "[]\n",
        "layouts/404.html": "<!doctype html><title>Not found</title>\n",
    })
    site.build(drafts=True)
    assert site.has("/draft/") and site.has("/404.html")
    root = "https://example.org/docs-site"
    assert locs(site) == {
        f"{root}/": None,
        f"{root}/about/": None,
        f"{root}/old/": "2024-04-01T00:00:00+00:00",
        f"{root}/post/": "2024-05-03T00:00:00+00:00",
    }
    robots = (site.out / "robots.txt").read_text(encoding="utf-8")
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {root}/sitemap.xml\n"


def test_without_base_url_there_is_no_sitemap(make_site):
    site = make_site({"content/index.md": "# Home\n"})
    site.build()
    assert not site.has("/sitemap.xml")
    assert site.has("/robots.txt")


def test_aliases_become_redirect_pages_and_host_redirects(make_site):
    site = make_site({
        "islandgen.yaml": CONFIG,
        "content/index.md": "# Home\n",
        "content/guide/setup.md": "---\naliases: [/setup/, /install.html, /old guide/]\n---\n"
                                  "# Set & go\n",
    })
    site.build()
    page = (site.out / "setup" / "index.html").read_text(encoding="utf-8")
    assert page == (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Redirecting to Set &amp; go</title>\n"
        '<link rel="canonical" href="https://example.org/docs-site/guide/setup/">\n'
        '<meta name="robots" content="noindex">\n'
        '<meta http-equiv="refresh" content="0; url=/docs-site/guide/setup/">\n'
        "</head>\n<body>\n"
        '<p>This page has moved to <a href="/docs-site/guide/setup/">Set &amp; go</a>.</p>\n'
        "</body>\n</html>\n"
    )
    assert (site.out / "install.html").read_text(encoding="utf-8") == page
    assert (site.out / "old guide" / "index.html").is_file()
    assert (site.out / "_redirects").read_text(encoding="utf-8") == (
        "/install.html /docs-site/guide/setup/ 301\n"
        "/old%20guide/ /docs-site/guide/setup/ 301\n"
        "/setup/ /docs-site/guide/setup/ 301\n"
    )
    assert "/docs-site/setup/" not in locs(site)


def test_an_alias_that_is_a_real_url_is_an_error_at_the_aliases_line(make_site, run_cli):
    site = make_site({
        "content/index.md": "# Home\n",
        "content/a.md": "# A\n",
        "content/b.md": "---\ntitle: B\naliases:\n  - /a/\n---\n",
    })
    result = run_cli("build", cwd=site.root)
    assert result.code == 1
    assert result.error == "error: content/b.md:3: alias /a/ is also the URL of content/a.md"
    assert not site.out.exists()


@pytest.mark.parametrize(("value", "message"), [
    ("old/path/", "alias 'old/path/' must be a path on this site, like /old/path/"),
    ("https://elsewhere.example/x/", "alias 'https://elsewhere.example/x/' must be a path"),
    ("{a: 1}", "front matter 'aliases' must be a list of paths, not {'a': 1}"),
])
def test_bad_aliases_are_errors(make_site, value, message):
    site = make_site({"content/index.md": f"---\naliases: {value}\n---\n# Home\n"})
    with pytest.raises(IslandgenError) as caught:
        site.build()
    assert caught.value.message.startswith(message)
    assert caught.value.line == 2


def test_two_pages_claiming_one_alias_is_an_error(make_site):
    site = make_site({
        "content/a.md": "---\naliases: [/old/]\n---\n# A\n",
        "content/b.md": "---\naliases: [/old/]\n---\n# B\n",
    })
    with pytest.raises(IslandgenError) as caught:
        site.build()
    assert caught.value.message == "alias /old/ is also the URL of content/a.md"
    assert caught.value.path is not None and caught.value.path.name == "b.md"


def test_host_files(make_site):
    site = make_site({"content/index.md": "# Home\n"})
    site.build()
    assert (site.out / ".nojekyll").read_bytes() == b""
    assert (site.out / "_headers").read_text(encoding="utf-8") == (
        "/_islands/*\n  Cache-Control: public, max-age=31536000, immutable\n")
    assert not (site.out / "_redirects").exists()  # no aliases, no file


# -- feeds (default theme) ------------------------------------------------------------------

POST = """\
---
title: First post
date: 2024-05-01
tags: [python, web]
summary: The short version.
---
Intro with a [section link](#details), a [site link](/about/) and ![a chart](chart.svg).

## Details

More.
"""


def feed(site, url: str) -> ET.Element:
    return ET.parse(site.file(url)).getroot()


def default_site(make_site, params: str = ""):
    config = ("title: Feeds\nbase_url: https://example.org\nbase_path: /sub/\n"
              f"{params}")
    return make_site({
        "islandgen.yaml": config,
        "content/blog/first.md": POST,
        "content/blog/chart.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "content/blog/second.md": "---\ndate: 2024-06-01\ntags: [web]\n---\n# Second\n",
        "content/docs/guide.md": "# Guide\n",
        "content/about.md": "---\nimage: /images/card.png\ndescription: Who we are.\n---\n# About\n",
        "content/private.md": "---\nnoindex: true\n---\n# Private\n",
    }, theme="default")


def test_feeds_for_the_site_each_section_with_dated_pages_and_each_tag(make_site):
    site = default_site(make_site)
    site.build()
    assert site.has("/feed.xml") and site.has("/blog/feed.xml")
    assert not site.has("/docs/feed.xml")  # no dated pages there
    assert site.has("/tags/python/feed.xml") and site.has("/tags/web/feed.xml")
    tag = feed(site, "/tags/web/feed.xml")
    assert [e.findtext(f"{ATOM}title") for e in tag.iter(f"{ATOM}entry")] == ["Second", "First post"]
    assert tag.find(f"{ATOM}link[@rel='self']").get("href") == \
        "https://example.org/sub/tags/web/feed.xml"
    assert tag.findtext(f"{ATOM}updated") == "2024-06-01T00:00:00+00:00"


def test_feed_entries_have_absolute_urls_inside_their_html(make_site):
    site = default_site(make_site)
    site.build()
    entry = next(e for e in feed(site, "/blog/feed.xml").iter(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}title") == "First post")
    permalink = "https://example.org/sub/blog/first/"
    assert entry.find(f"{ATOM}link").get("href") == permalink
    content = entry.findtext(f"{ATOM}content") or ""
    assert f'href="{permalink}#details"' in content
    assert 'href="https://example.org/sub/about/"' in content
    assert f'src="{permalink}chart.svg"' not in content  # content-relative files are site paths
    assert 'src="https://example.org/sub/blog/chart.svg"' in content
    assert entry.findtext(f"{ATOM}summary") == "<p>The short version.</p>"


def test_summary_only_feeds(make_site):
    site = default_site(make_site, "params:\n  feed_content: summary\n")
    site.build()
    entries = list(feed(site, "/feed.xml").iter(f"{ATOM}entry"))
    assert entries and all(e.find(f"{ATOM}content") is None for e in entries)
    assert all(e.find(f"{ATOM}summary") is not None for e in entries)


# -- meta tags (default theme) --------------------------------------------------------------


def head(site, url: str) -> dict[str, str]:
    """name/property -> content of the page's meta tags, plus rel -> href of its links."""
    page = site.page(url)
    found = {str(m.get("name") or m.get("property")): str(m.get("content"))
             for m in page.find_all("meta") if m.get("content") is not None}
    found |= {" ".join(link["rel"]): str(link["href"]) for link in page.find_all("link")}
    return found


def test_meta_tags_from_front_matter_and_config(make_site):
    site = default_site(make_site, "language: en-GB\nparams:\n  twitter: '@feeds'\n")
    site.build()
    tags = head(site, "/about/")
    assert site.page("/about/").html["lang"] == "en-GB"
    assert tags["canonical"] == tags["og:url"] == "https://example.org/sub/about/"
    assert tags["description"] == tags["og:description"] == tags["twitter:description"] == \
        "Who we are."
    assert tags["og:title"] == tags["twitter:title"] == "About"
    assert tags["og:image"] == "https://example.org/sub/images/card.png"
    assert tags["og:type"] == "website"
    assert tags["og:locale"] == "en_GB"
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:site"] == "@feeds"
    assert tags["icon"].startswith("/sub/favicon")
    assert tags["alternate"] == "/sub/feed.xml"
    assert "robots" not in tags
    assert head(site, "/blog/first/")["og:type"] == "article"


def test_noindex_pages_and_the_404_page_tell_search_engines(make_site):
    site = default_site(make_site)
    site.build()
    assert head(site, "/private/")["robots"] == "noindex"
    not_found = head(site, "/404.html")
    assert not_found["robots"] == "noindex"
    assert "canonical" not in not_found and "og:url" not in not_found


def test_section_and_tag_pages_link_their_feeds(make_site):
    site = default_site(make_site)
    site.build()
    assert head(site, "/blog/")["alternate"] == "/sub/blog/feed.xml"
    assert head(site, "/tags/web/")["alternate"] == "/sub/tags/web/feed.xml"


def test_a_sites_own_sitemap_template_wins(make_site):
    site = make_site({
        "islandgen.yaml": CONFIG,
        "content/index.md": "# Home\n",
        "pages/sitemap.xml": "<urlset>mine</urlset>\n",
    })
    site.build()
    assert (site.out / "sitemap.xml").read_text(encoding="utf-8") == "<urlset>mine</urlset>\n"
