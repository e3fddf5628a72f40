"""Every site-internal link in the output leads to a file that exists."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

SAMPLE_SITE = Path(__file__).parent.parent / "sample_site"


def internal_links(out: Path) -> dict[str, set[str]]:
    """{page: the site-relative URLs it links to (a, link, img, script)}."""
    found: dict[str, set[str]] = {}
    for page in sorted(out.rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        urls = {
            tag.get("href") or tag.get("src")
            for tag in soup.select("a[href], link[href], img[src], script[src]")
        }
        found[page.relative_to(out).as_posix()] = {
            url for url in urls if url.startswith("/") and not url.startswith("//")
        }
    return found


def broken_links(out: Path) -> list[str]:
    """'page -> url' for every internal link with no file behind it."""
    broken = []
    for page, urls in internal_links(out).items():
        for url in sorted(urls):
            target = out / unquote(urlsplit(url).path).lstrip("/")
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page} -> {url}")
    return broken


def test_sample_site_builds_with_no_broken_links(make_site, tmp_path):
    site = make_site({}, theme="default", name="sample")
    shutil.rmtree(site.root)
    shutil.copytree(SAMPLE_SITE, site.root, ignore=shutil.ignore_patterns(".islandgen-cache", "dist"))
    result = site.build()
    assert len(result.routes) >= 10
    assert site.has("/")
    assert broken_links(site.out) == []


def test_awkward_names_and_tags_have_no_broken_links(make_site):
    tags = "[C++, 'C#', Web Dev, 日本語, '100%', a/b, '[x]']"
    site = make_site(
        {
            f"content/blog/{name}.md": f"---\ntitle: {json.dumps(name)}\ndate: 2024-05-0{n}\n"
            f"tags: {tags}\n---\n"
            for n, name in enumerate(
                ["100% done", "[draft] notes", "{braces}", "v1.2.3", "café crème", "a#b?c"], start=1
            )
        },
        theme="default",
    )
    site.build()
    assert broken_links(site.out) == []
    linked = set().union(*internal_links(site.out).values())
    posts = [url for url in linked if url.startswith("/blog/") and url != "/blog/" and url.endswith("/")]
    assert len(posts) == 6


def test_different_tags_get_different_pages(make_site):
    site = make_site(
        {
            "content/blog/cpp.md": "---\ntitle: Templates\ndate: 2024-05-01\ntags: [C++]\n---\n",
            "content/blog/cs.md": "---\ntitle: Generics\ndate: 2024-05-02\ntags: ['C#']\n---\n",
            "content/blog/c.md": "---\ntitle: Pointers\ndate: 2024-05-03\ntags: [C]\n---\n",
        },
        theme="default",
    )
    site.build()
    links = site.page("/tags/").select("main a[rel=tag]")
    tag_urls = {next(a.strings).strip(): a["href"] for a in links}  # name, without the count
    assert sorted(tag_urls) == ["C", "C#", "C++"]
    assert len(set(tag_urls.values())) == 3
    for name, url in tag_urls.items():
        assert site.page(url).select_one(".tag-name").get_text() == name
