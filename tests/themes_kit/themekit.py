"""Helpers for the theme-kit tests: copy a site, build it, check it, install a theme package.

A theme package is installed the way a user installs one: `pip install` into a
fresh virtual environment (with the system site-packages, so islandgen and its
dependencies are there, and `--no-index`, so nothing is downloaded). pip builds
the project with setuptools when setuptools can build wheels (it needs the
`wheel` package before setuptools 70.1); otherwise `build_wheel` makes the same
wheel from the project's pyproject.toml and pip installs that file.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import http.client
import http.server
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import tomllib
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from islandgen import BuildOptions, BuildResult, build
from islandgen.check import CheckReport, check_site

REPO = Path(__file__).resolve().parent.parent.parent
SITES = Path(__file__).resolve().parent / "sites"
DOCS = REPO / "docs"
EXAMPLES = DOCS / "examples"
SKIP = shutil.ignore_patterns("dist", "dist-functions", "public", "public-functions", ".islandgen-cache",
                              "__pycache__", "*.egg-info", "build")


def copy_site(source: Path, target: Path) -> Path:
    """A scratch copy of a site (no outputs or caches), so the repository stays clean."""
    shutil.copytree(source, target, ignore=SKIP)
    return target


def build_and_check(site: Path) -> tuple[BuildResult, CheckReport]:
    """Build `site` from scratch and check its output (links, anchors, assets, orphans)."""
    options = BuildOptions(use_cache=False)  # today: the starter's post is dated when it was made
    result = build(site, options)
    return result, check_site(site, options, result)


def make_venv(folder: Path) -> Path:
    """A virtual environment that sees this interpreter's packages; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(folder)],
                   check=True, capture_output=True)
    return folder / "bin" / "python"


def venv_env() -> dict[str, str]:
    """The environment to run the venv's python in: this checkout's islandgen first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def setuptools_builds_wheels() -> bool:
    """True when `pip install PROJECT` works offline with the setuptools installed here."""
    import setuptools

    major, minor = (int(part) for part in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def pip_install(python: Path, project: Path, scratch: Path) -> subprocess.CompletedProcess[str]:
    """Install `project` into the venv of `python`, offline, without its dependencies.

    A copy is installed: setuptools writes build/ and *.egg-info into the project it builds.
    """
    project = copy_site(project, scratch / project.name)
    target = str(project) if setuptools_builds_wheels() else str(build_wheel(project, scratch))
    command = [str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--no-build-isolation",
               "--disable-pip-version-check", "--quiet", target]
    return subprocess.run(command, capture_output=True, text=True, env=venv_env(), check=False)


def build_wheel(project: Path, out: Path) -> Path:
    """A py3-none-any wheel of a pure-Python setuptools project: its packages, name, version
    and entry points from pyproject.toml (what setuptools' bdist_wheel would put in it)."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    name, version = meta["project"]["name"], meta["project"]["version"]
    stem = f"{re.sub(r'[-_.]+', '_', name)}-{version}"
    files: dict[str, bytes] = {}
    for package in meta["tool"]["setuptools"]["packages"]:
        root = project / package.replace(".", "/")
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                files[path.relative_to(project).as_posix()] = path.read_bytes()
    info = f"{stem}.dist-info"
    files[f"{info}/METADATA"] = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode()
    files[f"{info}/WHEEL"] = (b"Wheel-Version: 1.0\nGenerator: themekit\nRoot-Is-Purelib: true\n"
                              b"Tag: py3-none-any\n")
    groups = meta["project"].get("entry-points", {})
    files[f"{info}/entry_points.txt"] = "".join(
        f"[{group}]\n" + "".join(f"{key} = {value}\n" for key, value in points.items()) + "\n"
        for group, points in groups.items()).encode()
    record = [f"{path},sha256={_urlsafe_sha256(data)},{len(data)}" for path, data in files.items()]
    files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
    out.mkdir(parents=True, exist_ok=True)
    wheel = out / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


def _urlsafe_sha256(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


class DevServer:
    """`python -m islandgen serve SITE --port 0` in a subprocess, until `stop()`.

    The URL is read from what the server prints; output is collected by reader
    threads so a chatty server never blocks on a full pipe.
    """

    URL = re.compile(r"serving at (http://\S+)")

    def __init__(self, site: Path, *, python: Path | None = None) -> None:
        env = {**venv_env(), "COLUMNS": "200"}
        self.proc = subprocess.Popen(
            [str(python or sys.executable), "-m", "islandgen", "serve", str(site), "--port", "0"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        self.lines: list[str] = []
        self._readers = [threading.Thread(target=self._drain, args=(stream,), daemon=True)
                         for stream in (self.proc.stdout, self.proc.stderr)]
        for reader in self._readers:
            reader.start()

    def _drain(self, stream: Any) -> None:
        for line in iter(stream.readline, ""):
            self.lines.append(line)

    def url(self, timeout: float = 60.0) -> str:
        """The printed URL (with the base path and a trailing slash)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = self.URL.search(line)
                if match:
                    return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise AssertionError(f"the server printed no URL: {''.join(self.lines)!r}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for reader in self._readers:
            reader.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@contextmanager
def dev_server(site: Path, *, python: Path | None = None) -> Iterator[str]:
    """The URL of a dev server for `site`, stopped (and its pipes closed) on exit."""
    server = DevServer(site, python=python)
    try:
        yield server.url()
    finally:
        server.stop()


@contextmanager
def static_server(root: Path) -> Iterator[str]:
    """A built folder served on 127.0.0.1 by a thread (quietly); its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}/"
        finally:
            httpd.shutdown()
            thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - the base class's own attribute
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".json": "application/json",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass


def fetch(url: str, *, data: bytes | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One HTTP request without following redirects: status, headers (lower-case), body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("POST" if data is not None else "GET", path, body=data,
                           headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()
