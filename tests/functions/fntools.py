"""Helpers for the server function tests: built bundles, real servers on free ports, raw HTTP.

The bundle's servers run in child processes started with `python -S` and a
PYTHONPATH of only the bundle (plus uvicorn's site-packages for ASGI), so a
test that passes proves the bundle runs without islandgen installed.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from islandgen.functions.dispatch import Dispatcher
from islandgen.functions.registry import load_manifest

REPO = Path(__file__).resolve().parents[2]
SAMPLE_SITE = REPO / "sample_site"
LAMBDA_EVENTS = REPO.parent / "shared" / "fixtures" / "lambda-events"
JSON_CALL = {"content-type": "application/json", "x-islandgen-action": "1"}
FORM = {"content-type": "application/x-www-form-urlencoded"}


def copy_site(source: Path, target: Path) -> Path:
    """A copy of a site without its build output, caches or databases."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(
        "dist", "dist-functions", ".islandgen-cache", "__pycache__", "*.sqlite3*"))
    return target


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Built:
    """A site copied into a temporary folder and built: its output and its functions bundle."""

    site: Path
    dist: Path
    bundle: Path

    def dispatcher(self) -> Dispatcher:
        """The bundle's dispatcher, loaded in this process."""
        return Dispatcher(*load_manifest(self.bundle))


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: bytes = b"",
            headers: Mapping[str, str] | None = None) -> Reply:
    """One raw HTTP request (no redirects followed), with Host set as a browser would."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers={"Host": f"127.0.0.1:{port}", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        pairs = response.getheaders()
    finally:
        connection.close()
    return Reply(response.status, {k.lower(): v for k, v in pairs},
                 [v for k, v in pairs if k.lower() == "set-cookie"], data)


class BundleServer:
    """`python -S` serving a bundle: 'asgi' under uvicorn, 'wsgi' under a threading wsgiref."""

    def __init__(self, bundle: Path, kind: str, env: Mapping[str, str]) -> None:
        self.port = free_port()
        self.kind = kind
        paths = [str(bundle)]
        if kind == "asgi":
            paths.append(sysconfig.get_paths()["purelib"])
            command = [sys.executable, "-S", "-m", "uvicorn", "app:asgi_app", "--host", "127.0.0.1",
                       "--port", str(self.port), "--app-dir", str(bundle), "--no-access-log",
                       "--log-level", "warning"]
        else:
            command = [sys.executable, "-S", str(Path(__file__).parent / "wsgi_server.py"),
                       str(bundle), str(self.port)]
        environment = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
                       **env, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}
        self.log = bundle.parent / f"{kind}-{self.port}.log"
        self._log = self.log.open("wb")
        self.process = subprocess.Popen(command, cwd=bundle, env=environment, stdout=self._log,
                                        stderr=subprocess.STDOUT)
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} server exited:\n{self.output()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"{self.kind} server did not start:\n{self.output()}")

    def output(self) -> str:
        self._log.flush()
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


def run_isolated(bundle: Path, script: str, stdin: str = "", env: Mapping[str, str] | None = None) -> Any:
    """Run Python code with `python -S` in the bundle (no islandgen, no site-packages); its JSON output."""
    environment = {**{k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")},
                   **(env or {}), "PYTHONPATH": str(bundle), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-S", "-c", script], cwd=bundle, env=environment, input=stdin,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def node_json(script: Path, stdin: str) -> Any:
    """Run a Node harness and parse its JSON output (skips without Node)."""
    import pytest

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run([node, str(script)], input=stdin, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def multipart(fields: list[tuple[str, str | tuple[str, str, bytes]]]) -> tuple[str, bytes]:
    """A multipart/form-data body as a browser builds it."""
    boundary = "----islandgenTestBoundary7MA4YWxkTrZu0gW"
    parts = []
    for name, value in fields:
        if isinstance(value, tuple):
            filename, kind, data = value
            head = (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    f"Content-Type: {kind}\r\n\r\n").encode()
        else:
            head, data = f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode(), value.encode()
        parts.append(f"--{boundary}\r\n".encode() + head + data + b"\r\n")
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()
