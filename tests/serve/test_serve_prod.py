"""`islandgen serve --prod`: a built site answered exactly as a static host would."""

from __future__ import annotations

import gzip
import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import pytest
from serving import Server
from sitefiles import write_files

from islandgen import BuildOptions, build
from islandgen.cli import main
from islandgen.serve.httpd import Request
from islandgen.serve.static import (
    IMMUTABLE,
    REVALIDATE,
    StaticHost,
    accepts_gzip,
    cache_control,
    content_type,
)

ISLAND = "export default function Counter(el) { el.textContent = '1'; }\n" * 10


@pytest.fixture
def dist(site: Path) -> Path:
    """The test site built into dist/, plus island chunks as the islands stage writes them."""
    result = build(site, BuildOptions())
    write_files(result.out_dir, {
        "_islands/Counter.3f9a2c1b.js": ISLAND,
        "_islands/manifest.json": '{"Counter": "/_islands/Counter.3f9a2c1b.js"}\n',
        "robots.txt": "User-agent: *\n",
        "logo.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    })
    return result.out_dir


@pytest.fixture
def prod(dist: Path, start_server: Callable[..., Server]) -> Server:
    return start_server("--prod", str(dist))


def test_pages_and_folders(prod: Server) -> None:
    home = prod.get()
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Home</h1>" in home.text
    assert "islandgen-build" not in home.text  # no reload client in --prod
    assert prod.get("about/").status == 200
    folder = prod.get("about")
    assert folder.status == 301 and folder.headers["location"] == "/about/"
    assert prod.get("about?x=1").headers["location"] == "/about/?x=1"


def test_missing_page_gets_404_html(prod: Server) -> None:
    reply = prod.get("no/such/page/")
    assert reply.status == 404
    assert "<h1>Nothing here</h1>" in reply.text
    assert reply.headers["content-type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("robots.txt", "text/plain; charset=utf-8"),
        ("_islands/Counter.3f9a2c1b.js", "text/javascript; charset=utf-8"),
        ("_islands/manifest.json", "application/json; charset=utf-8"),
        ("logo.png", "image/png"),
        ("css/site.css", "text/css; charset=utf-8"),
    ],
)
def test_content_types(prod: Server, path: str, kind: str) -> None:
    assert prod.get(path).headers["content-type"] == kind


def test_hashed_assets_are_immutable(prod: Server) -> None:
    chunk = prod.get("_islands/Counter.3f9a2c1b.js")
    assert chunk.headers["cache-control"] == "public, max-age=31536000, immutable"
    css = prod.get(_hashed_css(prod))
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    for path in ("", "css/site.css", "_islands/manifest.json"):
        assert prod.get(path).headers["cache-control"] == "public, max-age=0, must-revalidate"


def test_etag_and_304(prod: Server) -> None:
    first = prod.get("about/")
    etag = first.headers["etag"]
    again = prod.get("about/", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    assert again.headers["etag"] == etag
    assert prod.get("about/", headers={"If-None-Match": f'"other", W/{etag}'}).status == 304
    assert prod.get("about/", headers={"If-None-Match": '"other"'}).status == 200


def test_gzip_when_asked(prod: Server) -> None:
    path = _hashed_css(prod)
    plain = prod.get(path)
    assert "content-encoding" not in plain.headers
    assert plain.headers["vary"] == "Accept-Encoding"
    zipped = prod.get(path, headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.body) == plain.body
    assert zipped.headers["etag"] != plain.headers["etag"]
    assert prod.get(path, headers={"Accept-Encoding": "gzip;q=0"}).body == plain.body
    assert "content-encoding" not in prod.get("logo.png", headers={"Accept-Encoding": "gzip"}
                                              ).headers


def test_head_and_methods(prod: Server) -> None:
    head = prod.raw("/about/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert int(head.headers["content-length"]) == len(prod.get("about/").body)
    post = prod.raw("/about/", method="POST")
    assert post.status == 405 and post.headers["allow"] == "GET, HEAD"


TRAVERSALS = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2Fsecret.txt",
    "/..%5Csecret.txt",
    "/..\\secret.txt",
    "//etc/passwd",
    "/%2Fetc%2Fpasswd",
    "/index.html%00",
    "/escape/secret.txt",
    "/escape-file",
    "/css/../../secret.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS, ids=TRAVERSALS)
def test_requests_cannot_leave_the_folder(
        dist: Path, start_server: Callable[..., Server], target: str) -> None:
    (dist.parent / "secret.txt").write_text("TOP SECRET", encoding="utf-8")
    (dist / "escape").symlink_to(dist.parent)
    (dist / "escape-file").symlink_to(dist.parent / "secret.txt")
    server = start_server("--prod", str(dist))
    reply = server.raw(target)
    assert reply.status == 404
    assert "TOP SECRET" not in reply.text


def test_base_path_from_the_site_config(site: Path, start_server: Callable[..., Server]) -> None:
    config = site / "islandgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "base_path: /docs/\n",
                      encoding="utf-8")
    build(site, BuildOptions())
    for target in (str(site), str(site / "dist")):  # the site, or its output folder
        server = start_server("--prod", target)
        assert server.url.endswith("/docs/")
        assert server.raw("/docs/about/").status == 200
        assert server.raw("/docs").headers["location"] == "/docs/"
        assert server.raw("/about/").status == 404


def test_base_path_option(dist: Path, start_server: Callable[..., Server]) -> None:
    server = start_server("--prod", str(dist), "--base-path", "sub")
    assert server.url.endswith("/sub/")
    assert "<h1>About</h1>" in server.raw("/sub/about/").text
    assert server.raw("/about/").status == 404


def test_unbuilt_site_is_a_usage_error(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--prod", str(site), "--port", "0"]) == 2
    assert "has not been built" in _unwrapped(capsys.readouterr().err)


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("mode", [["--prod"], []], ids=["prod", "dev"])
def test_port_in_use(dist: Path, site: Path, busy_port: int, mode: list[str],
                     capsys: pytest.CaptureFixture[str]) -> None:
    target = str(dist) if mode else str(site)
    assert main(["serve", *mode, target, "--port", str(busy_port)]) == 2
    err = _unwrapped(capsys.readouterr().err)
    assert f"port {busy_port} on 127.0.0.1 is already in use" in err
    assert "--port 0" in err


def test_rules() -> None:
    assert content_type("feed.xml") == "application/xml; charset=utf-8"
    assert content_type("font.woff2") == "font/woff2"
    assert content_type("x.unknownext") == "application/octet-stream"
    assert cache_control(PurePosixPath("css/site.0123abcd.css")) == IMMUTABLE
    assert cache_control(PurePosixPath("css/site.0123abcd.png")) == REVALIDATE
    assert cache_control(PurePosixPath("css/site.0123abcz.css")) == REVALIDATE
    assert accepts_gzip("gzip, deflate")
    assert accepts_gzip("*")
    assert not accepts_gzip("*, gzip;q=0")
    assert not accepts_gzip("br")
    assert not accepts_gzip("")


def test_in_process_answers(dist: Path) -> None:
    host = StaticHost(dist.resolve(), "/")
    assert host(Request("GET", "/about/")).status == 200
    assert host(Request("DELETE", "/about/")).status == 405
    assert host(Request("GET", "/../x")).status == 404


def _hashed_css(server: Server) -> str:
    match = re.search(r'href="/(css/site\.[0-9a-f]{8}\.css)"', server.get().text)
    assert match
    return match.group(1)


def _unwrapped(text: str) -> str:
    """Console text with line wrapping undone (it wraps at 80 columns in a pipe)."""
    return " ".join(text.split())
