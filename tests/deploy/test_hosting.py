"""The sample site behind a real nginx, at the root and below /myrepo/: nothing broken.

A crawl from the home page reaches every page, and every link, asset, island
chunk and #fragment on the way is served; feeds and the sitemap are valid XML
whose absolute URLs all resolve; aliases redirect and unknown URLs get the 404 page.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup
from hosting import BASE_URL, BuiltSite, Crawl, Crawler, Nginx

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

_crawls: dict[str, Crawl] = {}


def crawl(served: Nginx) -> tuple[Crawler, Crawl]:
    """One crawl per server, shared by the tests that read it."""
    crawler = Crawler(served.url)
    if served.url not in _crawls:
        _crawls[served.url] = crawler.crawl()
    return crawler, _crawls[served.url]


def test_crawl_from_the_home_page_finds_nothing_broken(served: Nginx, sample: BuiltSite) -> None:
    _, found = crawl(served)
    assert found.broken == []
    assert len(found.checked) > 100


def test_crawl_reaches_every_page(served: Nginx, sample: BuiltSite) -> None:
    _, found = crawl(served)
    reached = {url.removeprefix(served.origin) for url in found.pages}
    assert sample.page_urls() <= reached
    assert len(reached) >= 30


def test_every_island_chunk_is_served_as_javascript(served: Nginx, sample: BuiltSite) -> None:
    crawler, found = crawl(served)
    manifest = crawler.fetcher.get(served.url + "_islands/manifest.json")
    assert manifest.status == 200
    urls = {u for entry in json.loads(manifest.body).values() for u in [entry["entry"], *entry["deps"]]}
    assert urls, "the sample site has islands"
    assert all(u.startswith(sample.base_path + "_islands/") for u in urls)
    for url in sorted(urls | {c.removeprefix(served.origin) for c in found.chunks}):
        reply = crawler.fetcher.get(served.origin + url)
        assert (reply.status, reply.content_type) == (200, "application/javascript"), url


def test_every_page_uses_the_base_path(served: Nginx, sample: BuiltSite) -> None:
    _, found = crawl(served)
    for url, soup in found.pages.items():
        for tag in soup.find_all(["a", "link", "script", "img", "ig-island"]):
            for attribute in ("href", "src", "component"):
                value = str(tag.get(attribute, ""))
                if value.startswith("/"):
                    assert value.startswith(sample.base_path), (url, value)


def test_feeds_are_atom_with_absolute_urls_that_resolve(served: Nginx, sample: BuiltSite) -> None:
    crawler, found = crawl(served)
    site_root = BASE_URL + sample.base_path
    feeds = sorted(p.relative_to(sample.dist).as_posix() for p in sample.dist.rglob("feed.xml"))
    assert {"feed.xml", "blog/feed.xml", "tags/python/feed.xml"} <= set(feeds)
    for path in feeds:
        reply = crawler.fetcher.get(served.url + path)
        assert reply.status == 200 and "xml" in reply.content_type, path
        root = ET.fromstring(reply.body)
        assert root.tag == f"{ATOM}feed"
        assert root.find(f"{ATOM}updated") is not None, path
        links = [link.get("href", "") for link in root.iter(f"{ATOM}link")]
        links += [e.text or "" for e in root.iter(f"{ATOM}id")]
        for entry in root.iter(f"{ATOM}entry"):
            for body in (entry.find(f"{ATOM}content"), entry.find(f"{ATOM}summary")):
                if body is not None:
                    html = BeautifulSoup(body.text or "", "html.parser")
                    links += [str(t.get("href") or t.get("src")) for t in html.find_all(["a", "img"])]
        for link in links:
            assert link.startswith(("https://", "http://", "mailto:")), (path, link)
            if link.startswith(site_root):
                crawler.expect(link, served.url + path, found)
    assert found.broken == []


def test_sitemap_lists_every_page_with_absolute_urls(served: Nginx, sample: BuiltSite) -> None:
    crawler, found = crawl(served)
    reply = crawler.fetcher.get(served.url + "sitemap.xml")
    assert reply.status == 200
    root = ET.fromstring(reply.body)
    locs = [e.text or "" for e in root.iter(f"{SITEMAP}loc")]
    site_root = BASE_URL + sample.base_path
    assert all(loc.startswith(site_root) for loc in locs)
    assert {loc.removeprefix(BASE_URL) for loc in locs} == sample.page_urls()
    for loc in locs:
        crawler.expect(loc, served.url, found)
    assert found.broken == []
    robots = crawler.fetcher.get(served.url + "robots.txt").text
    assert f"Sitemap: {site_root}sitemap.xml" in robots


def test_aliases_redirect_on_a_plain_static_host(served: Nginx, sample: BuiltSite) -> None:
    crawler, _ = crawl(served)
    for alias in ("old-about/", "team.html"):
        reply = crawler.fetcher.get(served.url + alias)
        assert reply.status == 200
        page = BeautifulSoup(reply.text, "html.parser")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh is not None and refresh["content"] == f"0; url={sample.base_path}about/"
        assert page.find("link", rel="canonical")["href"] == f"{BASE_URL}{sample.base_path}about/"
        target = crawler.fetcher.get(urljoin(reply.url, f"{sample.base_path}about/"))
        assert target.status == 200 and "<h1" in target.text
    redirects = (sample.dist / "_redirects").read_text(encoding="utf-8").splitlines()
    assert f"/old-about/ {sample.base_path}about/ 301" in redirects


def test_unknown_urls_get_the_404_page_with_working_assets(served: Nginx) -> None:
    crawler, found = crawl(served)
    reply = crawler.fetcher.get(served.url + "no/such/page/")
    assert reply.status == 404
    page = BeautifulSoup(reply.text, "html.parser")
    assert page.find("h1").get_text() == "Page not found"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    for tag in page.find_all("link", rel="stylesheet"):
        crawler.expect(str(tag["href"]), served.url + "no/such/page/", found)
    assert found.broken == []


def test_host_files_are_in_the_output(sample: BuiltSite) -> None:
    assert (sample.dist / ".nojekyll").read_bytes() == b""
    headers = (sample.dist / "_headers").read_text(encoding="utf-8")
    assert headers == "/_islands/*\n  Cache-Control: public, max-age=31536000, immutable\n"


def test_the_search_index_holds_based_urls_that_resolve(served: Nginx, sample: BuiltSite) -> None:
    crawler, found = crawl(served)
    reply = crawler.fetcher.get(served.url + "search-index.json")
    if reply.status == 404:
        pytest.skip("the sample site has no search index")
    entries = json.loads(reply.body)
    assert len(entries) >= 10
    for entry in entries:
        assert entry["url"].startswith(sample.base_path), entry
        crawler.expect(entry["url"], served.url, found)
    assert found.broken == []
