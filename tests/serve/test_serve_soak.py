"""Thirty seconds of saves while pages are requested: the server keeps answering, never a 5xx."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from serving import Server, edit, poll
from sitefiles import write_files

SOAK_SECONDS = float(os.environ.get("ISLANDGEN_SOAK_SECONDS", "30"))
PAGES = ("", "about/", "css/site.css", "no/such/page/")


def test_edits_while_requesting(dev_server: Server, site: Path) -> None:
    failures: list[str] = []
    answered: list[int] = []
    stop = threading.Event()

    def request_pages() -> None:
        while not stop.is_set():
            for path in PAGES:
                try:
                    reply = dev_server.get(path)
                except OSError as exc:
                    failures.append(f"{path}: {exc!r}")
                    continue
                answered.append(reply.status)
                expected = 404 if path.startswith("no/") else 200
                if reply.status != expected:
                    failures.append(f"{path}: {reply.status}")

    clients = [threading.Thread(target=request_pages) for _ in range(2)]
    for client in clients:
        client.start()
    try:
        edits = _edit_for(site, SOAK_SECONDS)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=30)

    assert dev_server.process.proc.poll() is None, dev_server.process.errors
    assert not failures, (failures[:20], dev_server.process.errors[-3000:])
    assert len(answered) > 100
    last = f"About, version {edits}."
    poll(lambda: dev_server.get("about/"), lambda reply: last in reply.text)
    assert "Traceback" not in dev_server.process.errors


def _edit_for(site: Path, seconds: float) -> int:
    """Save content, a component, CSS, and add and delete a page, until time is up."""
    about = site / "content/about.md"
    edit(about, "About us.", "About, version 0.")
    extra = site / "content/extra.md"
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        count += 1
        edit(about, f"About, version {count - 1}.", f"About, version {count}.")
        if count % 3 == 0:
            write_files(site, {"components/Greeting.html":
                               f"{{% props name %}}\n<p>Hello {{{{ name }}}} #{count}</p>\n"})
        if count % 5 == 0:
            write_files(site, {"static/css/site.css": f"h1 {{ order: {count}; }}\n"})
        if count % 7 == 0:
            if extra.exists():
                extra.unlink()
            else:
                write_files(site, {"content/extra.md": "---\ntitle: Extra\n---\nextra\n"})
        time.sleep(0.05 if count % 4 else 0.3)  # bursts and pauses
    return count
