"""Helpers for the hosting tests: a real nginx serving `dist/`, and a crawler that reads it.

nginx runs in the foreground from a config written into the test's own folder
(pid, logs and temp paths there too) on a free port of 127.0.0.1, and is
stopped by its PID. The crawler starts at the home page, follows every link on
the host, fetches every asset and island chunk, and checks `#fragments`
against the ids of the page they point at, as a browser would resolve them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import textwrap
import time
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from islandgen import BuildOptions, BuildResult, build

REPO = Path(__file__).resolve().parents[2]
SAMPLE_SITE = REPO / "sample_site"
BASE_URL = "https://example.com"  # the sample site's base_url
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")


def copy_sample(dest: Path, *, base_path: str | None = None) -> Path:
    """The sample site copied to `dest`, optionally served below `base_path`."""
    shutil.copytree(SAMPLE_SITE, dest, ignore=shutil.ignore_patterns(".islandgen-cache", "dist"))
    if base_path is not None:
        with (dest / "islandgen.yaml").open("a", encoding="utf-8") as config:
            config.write(f"\nbase_path: {base_path}\n")
    return dest


class BuiltSite:
    """A copy of the sample site, built, with the result of the build."""

    def __init__(self, root: Path, base_path: str) -> None:
        self.root = root
        self.base_path = base_path
        self.result: BuildResult = build(root, BuildOptions(use_cache=False))

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    def page_urls(self) -> set[str]:
        """Every HTML route except the 404 page, as served: with the base path."""
        return {self.base_path.rstrip("/") + r.url for r in self.result.routes
                if r.url.endswith("/") or (r.url.endswith(".html") and r.url != "/404.html")}


def add_front_matter(page: Path, line: str) -> None:
    """Insert `line` as the first front matter key of a Markdown file."""
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), page
    page.write_text(f"---\n{line}\n{text[4:]}", encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Nginx:
    """nginx serving `dist` at `base_path` of http://127.0.0.1:<port>/."""

    dist: Path
    workdir: Path
    base_path: str = "/"
    process: subprocess.Popen[bytes] | None = None
    port: int = 0

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The site's home page URL."""
        return self.origin + self.base_path

    def start(self) -> Nginx:
        self.workdir.mkdir(parents=True, exist_ok=True)
        for attempt in range(5):
            self.port = free_port()
            conf = self.workdir / "nginx.conf"
            conf.write_text(self._config(), encoding="utf-8")
            log = (self.workdir / "stderr.log").open("wb")
            self.process = subprocess.Popen(
                [NGINX, "-p", str(self.workdir), "-e", str(self.workdir / "error.log"),
                 "-c", str(conf), "-g", "daemon off;"],
                stdout=log, stderr=subprocess.STDOUT)
            log.close()
            if self._wait_until_listening():
                return self
            errors = self.errors()
            self.stop()
            if "Address already in use" not in errors or attempt == 4:
                raise RuntimeError(f"nginx did not start:\n{errors}")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        """Stop the master by its PID (it takes its workers along) and wait for it."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def errors(self) -> str:
        texts = []
        for name in ("stderr.log", "error.log"):
            path = self.workdir / name
            if path.exists():
                texts.append(path.read_text(encoding="utf-8", errors="replace"))
        return "\n".join(texts)

    def _wait_until_listening(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                time.sleep(0.05)
        return False

    def _config(self) -> str:
        work, dist = self.workdir, self.dist
        user = "user root;" if os.geteuid() == 0 else ""  # workers must read the tmp folder
        if self.base_path == "/":
            site = f"root {dist};\n    error_page 404 /404.html;"
        else:
            (work / "empty").mkdir(exist_ok=True)
            site = (f"root {work / 'empty'};\n"
                    f"    error_page 404 {self.base_path}404.html;\n"
                    f"    location {self.base_path} {{ alias {dist}/; }}")
        return textwrap.dedent(f"""\
            {user}
            worker_processes 1;
            pid {work / 'nginx.pid'};
            error_log {work / 'error.log'} warn;
            events {{ worker_connections 64; }}
            http {{
              include {MIME_TYPES};
              default_type application/octet-stream;
              access_log off;
              absolute_redirect off;
              client_body_temp_path {work / 'client_body'};
              proxy_temp_path {work / 'proxy'};
              fastcgi_temp_path {work / 'fastcgi'};
              uwsgi_temp_path {work / 'uwsgi'};
              scgi_temp_path {work / 'scgi'};
              server {{
                listen 127.0.0.1:{self.port};
                server_name localhost;
                {site}
              }}
            }}
            """)


# -- fetching and crawling -----------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    url: str  # after redirects
    status: int
    content_type: str
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Fetcher:
    """GETs URLs once each, following redirects like a browser."""

    def __init__(self) -> None:
        self.cache: dict[str, Response] = {}

    def get(self, url: str) -> Response:
        url = urldefrag(url).url
        if url not in self.cache:
            self.cache[url] = self._get(url)
        return self.cache[url]

    @staticmethod
    def _get(url: str) -> Response:
        try:
            with urllib.request.urlopen(url, timeout=10) as reply:
                return Response(reply.geturl(), reply.status,
                                reply.headers.get("Content-Type", ""), reply.read())
        except urllib.error.HTTPError as error:
            return Response(url, error.code, error.headers.get("Content-Type", ""), error.read())


# (tag, attribute) that hold URLs a page needs or links to; link[href] and meta are handled apart
ASSET_ATTRIBUTES = [("img", "src"), ("img", "srcset"), ("source", "src"), ("source", "srcset"),
                    ("script", "src"), ("iframe", "src"), ("video", "src"), ("video", "poster"),
                    ("audio", "src"), ("ig-island", "component")]
ABSOLUTE_META = ("og:url", "og:image", "twitter:image")


@dataclass
class Crawl:
    """What a crawl found: pages by URL, every URL fetched, and what was broken."""

    pages: dict[str, BeautifulSoup] = field(default_factory=dict)
    checked: set[str] = field(default_factory=set)
    chunks: set[str] = field(default_factory=set)
    broken: list[str] = field(default_factory=list)


class Crawler:
    """Crawls a site served at `home`; absolute URLs on `base_url` are mapped to the server."""

    def __init__(self, home: str, base_url: str = BASE_URL) -> None:
        self.home = home
        parts = urlsplit(home)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base_path = parts.path
        self.base_url = base_url
        self.fetcher = Fetcher()

    def local(self, url: str) -> str:
        """An absolute production URL (canonical, feed, sitemap) as served by the test server."""
        site_root = self.base_url + self.base_path
        if self.base_url and (url + "/").startswith(site_root):
            return self.origin + url[len(self.base_url):]
        return url  # another site, perhaps on the same host

    def crawl(self) -> Crawl:
        result = Crawl()
        queue = deque([self.home])
        seen = {self.home}
        while queue:
            url = queue.popleft()
            reply = self.fetcher.get(url)
            if reply.status != 200:
                result.broken.append(f"{url}: HTTP {reply.status}")
                continue
            if not reply.content_type.startswith("text/html"):
                continue
            soup = BeautifulSoup(reply.text, "html.parser")
            result.pages[url] = soup
            for target in self._links(soup, url, result):
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
        for page_url, soup in result.pages.items():
            for ref in self._assets(soup, page_url):
                if self.expect(ref, page_url, result) is not None and "/_islands/" in ref:
                    result.chunks.add(urljoin(page_url, ref))
        return result

    def expect(self, ref: str, page_url: str, result: Crawl, *,
               production: bool = True) -> Response | None:
        """`ref` (from `page_url`) must be served, and its #fragment must exist there.

        `production`: an absolute URL on base_url is this site (canonical, feeds, sitemap);
        in an <a> it is left alone, like any link to another host.
        """
        url = urljoin(page_url, self.local(ref) if production else ref)
        if not url.startswith(self.origin + "/"):
            return None  # another site
        result.checked.add(url)
        path = urlsplit(url).path
        if not path.startswith(self.base_path):
            result.broken.append(f"{page_url} -> {ref}: outside the base path {self.base_path}")
            return None
        reply = self.fetcher.get(url)
        if reply.status != 200:
            result.broken.append(f"{page_url} -> {ref}: HTTP {reply.status}")
            return None
        fragment = urldefrag(url).fragment
        if fragment and fragment != "top" and reply.content_type.startswith("text/html"):
            target = BeautifulSoup(reply.text, "html.parser")
            if target.find(id=unquote(fragment)) is None and target.find(
                    "a", attrs={"name": unquote(fragment)}) is None:
                result.broken.append(f"{page_url} -> {ref}: no id {fragment!r}")
        return reply

    def _links(self, soup: BeautifulSoup, page_url: str, result: Crawl) -> list[str]:
        """Pages to visit next: every <a>/<area> on this server, checked on the way."""
        found = []
        for tag in soup.find_all(["a", "area"], href=True):
            reply = self.expect(str(tag["href"]), page_url, result, production=False)
            if reply is not None and reply.content_type.startswith("text/html"):
                found.append(urldefrag(reply.url).url)
        return found

    def _assets(self, soup: BeautifulSoup, page_url: str) -> list[str]:
        refs = []
        for name, attribute in ASSET_ATTRIBUTES:
            for tag in soup.find_all(name, attrs={attribute: True}):
                value = str(tag[attribute])
                if attribute == "srcset":
                    refs += [part.split()[0] for part in value.split(",") if part.strip()]
                else:
                    refs.append(value)
        refs += [str(tag["href"]) for tag in soup.find_all("link", href=True)]
        refs += [str(tag["content"]) for tag in soup.find_all("meta", content=True)
                 if tag.get("property") in ABSOLUTE_META or tag.get("name") in ABSOLUTE_META]
        return refs
