"""Helpers for the server tests: a small site on disk, the server as a real subprocess, HTTP.

Servers run as `python -m islandgen serve ... --port 0` on 127.0.0.1; the URL
is read from their stdout. Edits are checked by polling until the served
bytes show them: correctness only, never timing.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import islandgen

REPO = Path(islandgen.__file__).resolve().parent.parent
POLL_SECONDS = 30.0  # generous: CI machines are slow; a pass is usually well under a second
T = TypeVar("T")

# A tiny local theme, so markup is exact and the theme folder is watched like any theme.
TINY_THEME = {
    "themes/tiny/theme.yaml": "name: tiny\n",
    "themes/tiny/layouts/base.html": """
        <!doctype html>
        <html><head><title>{{ page.title if page is defined else site.title }}</title>
        <link rel="stylesheet" href="{{ asset('css/site.css') }}"></head>
        <body>{% block content %}{% endblock %}<footer>{{ site.title }}</footer></body></html>
        """,
    "themes/tiny/layouts/page.html": """
        {% extends "layouts/base.html" %}
        {% block content %}<h1>{{ page.title }}</h1><main>{{ content }}</main>{% endblock %}
        """,
    "themes/tiny/layouts/home.html": """
        {% extends "layouts/base.html" %}
        {% block content %}<h1>{{ page.title }}</h1><main>{{ content }}</main>{% endblock %}
        """,
    "themes/tiny/layouts/list.html": """
        {% extends "layouts/base.html" %}
        {% block content %}<h1>{{ page.title }}</h1>{% endblock %}
        """,
    "themes/tiny/layouts/404.html": """
        {% extends "layouts/base.html" %}
        {% block content %}<h1>Nothing here</h1>{% endblock %}
        """,
}

SITE = {
    "islandgen.yaml": "title: Serve test\ntheme: tiny\n",
    "content/index.md": """
        ---
        title: Home
        ---
        Welcome home.

        ::Greeting(name="World")
        """,
    "content/about.md": """
        ---
        title: About
        ---
        About us.
        """,
    "components/Greeting.html": """
        {% props name %}
        <p class="greeting">Hello {{ name }}</p>
        """,
    # Over GZIP_MIN_BYTES, so --prod compresses it.
    "static/css/site.css": "h1 { color: rgb(0, 0, 128); }\n" + "/* padding */\n" * 30,
    **TINY_THEME,
}



def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` in a file, failing loudly if `old` is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    pairs: tuple[tuple[str, str], ...] = ()  # every header as sent (Set-Cookie may repeat)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(base_url: str, target: str, *, method: str = "GET",
            headers: Mapping[str, str] | None = None, body: bytes | None = None) -> Reply:
    """Send `target` exactly as given (no normalising, no redirects followed)."""
    parts = urlsplit(base_url)
    assert parts.hostname is not None and parts.port is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=dict(headers or {}))
        return read_reply(connection)
    finally:
        connection.close()


def read_reply(connection: http.client.HTTPConnection) -> Reply:
    response = connection.getresponse()
    body = response.read()
    pairs = tuple(response.getheaders())
    return Reply(response.status, {k.lower(): v for k, v in pairs}, body, pairs)


def poll(fetch: Callable[[], T], until: Callable[[T], bool], timeout: float = POLL_SECONDS) -> T:
    """Call `fetch` until `until` accepts its value; fail with the last value seen."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if until(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting; last value: {value!r}"[:2000])
        time.sleep(0.05)


class ServerProcess:
    """`python -m islandgen ARGS` with stdout and stderr collected by reader threads."""

    URL = re.compile(r"serving at (http://\S+)")

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "islandgen", *args],
            cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, encoding="utf-8",
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._readers = [
            threading.Thread(target=_drain, args=(self.proc.stdout, self.stdout), daemon=True),
            threading.Thread(target=_drain, args=(self.proc.stderr, self.stderr), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def wait_for_url(self, timeout: float = POLL_SECONDS) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.stdout):
                match = self.URL.search(line)
                if match:
                    return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        raise AssertionError(f"no URL printed; stdout={self.output!r} stderr={self.errors!r}")

    @property
    def output(self) -> str:
        return "".join(self.stdout)

    @property
    def errors(self) -> str:
        return "".join(self.stderr)

    def stop(self) -> int:
        """SIGTERM, as a process manager would; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()
        return code


def _drain(stream: object, lines: list[str]) -> None:
    assert hasattr(stream, "readline")
    for line in iter(stream.readline, ""):
        lines.append(line)


@dataclass
class Server:
    """A running server and where it is."""

    process: ServerProcess
    url: str  # with the base path and trailing slash, as printed

    def get(self, path: str = "", headers: Mapping[str, str] | None = None) -> Reply:
        """GET `path` relative to the printed URL ('' for the home page)."""
        return request(self.url, urlsplit(self.url).path + path, headers=headers)

    def raw(self, target: str, *, method: str = "GET",
            headers: Mapping[str, str] | None = None, body: bytes | None = None) -> Reply:
        """Send `target` as the request target, exactly."""
        return request(self.url, target, method=method, headers=headers, body=body)


def stylesheet_url(html: str) -> str:
    match = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert match, html
    return match.group(1)
