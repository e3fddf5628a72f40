"""`trailing_slash: false`: pages are blog/hi.html, every link says /blog/hi, nothing breaks.

The sample site (below /myrepo/, with islands, feeds and aliases) is built
without trailing slashes, checked for broken links, and served by `--prod`'s
resolver the way hosts serve clean URLs (`/blog/hi` finds `blog/hi.html`).
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from hosting import copy_sample

from islandgen.check import check_site
from islandgen.model import BuildOptions
from islandgen.serve.resolve import Found, resolve


def build_clean(tmp_path: Path) -> Path:
    site = copy_sample(tmp_path / "site", base_path="/myrepo/")
    with (site / "islandgen.yaml").open("a", encoding="utf-8") as config:
        config.write("trailing_slash: false\n")
    return site


def test_pages_are_html_files_and_links_have_no_trailing_slash(tmp_path: Path) -> None:
    site = build_clean(tmp_path)
    report = check_site(site, BuildOptions(use_cache=False))
    assert report.problems == ()
    dist = site / "dist"
    assert (dist / "about.html").is_file()
    assert (dist / "blog" / "hello-islandgen.html").is_file()
    assert (dist / "index.html").is_file()
    assert not (dist / "about").exists()
    home = BeautifulSoup((dist / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = [a["href"] for a in home.select("a[href^='/myrepo/']")]
    assert "/myrepo/about" in links
    assert "/myrepo/" in links  # the home page keeps its slash
    slashed = [href for href in links if href.endswith("/") and href != "/myrepo/"]
    assert slashed == []


def test_clean_urls_resolve_like_a_host_serves_them(tmp_path: Path) -> None:
    site = build_clean(tmp_path)
    check_site(site, BuildOptions(use_cache=False))
    dist = site / "dist"
    found = resolve(dist, "/myrepo/", "/myrepo/blog/hello-islandgen")
    assert isinstance(found, Found)
    assert found.file == dist / "blog" / "hello-islandgen.html"
