"""What the dev server answers, in-process: error pages, the reload client, CSS-only builds."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import SITE
from sitefiles import write_files

from islandgen import BuildOptions, build
from islandgen.errors import ContentError
from islandgen.serve.collector import MOST_BUILDS_UNCOLLECTED, QUIET_SECONDS, QuietCollector
from islandgen.serve.dev import DevApp, DevState, RebuildLoop
from islandgen.serve.errorpage import excerpt, render_error_page
from islandgen.serve.httpd import Request
from islandgen.serve.rebuild import Changes, Rebuilt
from islandgen.serve.reload import Broker, BuildEvent, client_tag, inject
from islandgen.serve.report import Reporter
from islandgen.serve.watch import ChangeQueue, Watcher


class Scripted:
    """A rebuilder that replays outcomes: a build of the test site, or an exception."""

    def __init__(self, site: Path, *outcomes: BaseException | None) -> None:
        self.site = site
        self.outcomes = list(outcomes)

    def rebuild(self, changes: Changes | None) -> Rebuilt:
        outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome
        result = build(self.site, BuildOptions(out_dir=self.site / "out"))
        return Rebuilt(result.out_dir, "/", result, "all pages")

    def prepare(self) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_files(tmp_path, SITE)
    return tmp_path


def make(site: Path, *outcomes: BaseException | None,
         changes: ChangeQueue | None = None) -> tuple[DevApp, RebuildLoop, Broker]:
    state = DevState("test")
    broker = Broker(state.snapshot.event)
    changes = changes or ChangeQueue()
    loop = RebuildLoop(site, Scripted(site, *outcomes), state, broker,
                       Watcher(site, changes), changes, Reporter(site, quiet=True))
    return DevApp(site, state, broker), loop, broker


def get(app: DevApp, target: str) -> tuple[int, str]:
    response = app(Request("GET", target, {"accept": "text/html"}))
    return response.status, response.body.decode()


def test_an_engine_crash_is_shown_and_survived(site: Path) -> None:
    app, loop, _ = make(site, None, RuntimeError("engine bug"), None)
    loop.build(None)
    assert get(app, "/about/")[0] == 200
    loop.build(Changes(frozenset({site / "content/about.md"})))
    status, page = get(app, "/about/")
    assert status == 500
    assert "islandgen crashed" in page and "RuntimeError: engine bug" in page
    assert "Traceback" in page
    loop.build(Changes(frozenset({site / "content/about.md"})))
    assert get(app, "/about/")[0] == 200


def test_a_failure_while_files_are_still_saved_is_not_shown(site: Path) -> None:
    changes = ChangeQueue()
    app, loop, broker = make(site, None, ContentError("half-written"), None, changes=changes)
    loop.build(None)
    changes.add([site / "components/Greeting.html"])  # saved again during the build
    loop.build(Changes(frozenset({site / "components/Greeting.html"})))
    assert broker.latest == BuildEvent("test", 1, 1)  # no error page was announced
    assert get(app, "/about/")[0] == 200
    loop.build(Changes(changes.next_batch() or frozenset()))
    assert broker.latest == BuildEvent("test", 2, 2)


def test_assets_are_served_while_the_build_is_broken(site: Path) -> None:
    app, loop, _ = make(site, None, ContentError("bad", path=site / "content/about.md", line=2))
    loop.build(None)
    loop.build(Changes(frozenset({site / "content/about.md"})))
    assert get(app, "/about/")[0] == 500
    assert app(Request("GET", "/css/site.css")).status == 200


def test_build_events_tell_pages_when_to_reload(site: Path) -> None:
    app, loop, broker = make(site, None, None, None, ContentError("bad"), None)
    loop.build(None)
    assert broker.latest == BuildEvent("test", 1, 1)
    loop.build(Changes(frozenset({site / "static/css/site.css"})))
    assert broker.latest == BuildEvent("test", 2, 1)  # CSS only: pages swap stylesheets
    loop.build(Changes(frozenset({site / "content/about.md"})))
    assert broker.latest == BuildEvent("test", 3, 3)
    loop.build(Changes(frozenset({site / "static/css/site.css"})))
    assert broker.latest == BuildEvent("test", 4, 4)  # failed: the error page must show
    loop.build(Changes(frozenset({site / "static/css/site.css"})))
    assert broker.latest == BuildEvent("test", 5, 5)  # fixed: the error page must go
    status, page = get(app, "/about/")
    assert status == 200
    assert 'data-islandgen-server="test" data-islandgen-build="5"' in page
    assert json.loads(broker.latest.encode().decode().split("data: ")[1]) == {
        "server": "test", "build": 5, "reload": 5}


def test_error_page_shows_location_message_hint_and_excerpt(site: Path) -> None:
    path = site / "content/about.md"
    error = ContentError("unknown prop 'nam'", path=path, line=3, hint="did you mean 'name'?")
    page = render_error_page(error, site)
    assert '<p class="location">content/about.md:3</p>' in page
    assert "unknown prop &#x27;nam&#x27;" in page
    assert "did you mean &#x27;name&#x27;?" in page
    assert '<span class="error-line">&gt; 3 | ---</span>' in page
    assert "  1 | ---" in page and "  4 | About us." in page


def test_excerpt_edges(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("".join(f"line {n}\n" for n in range(1, 11)), encoding="utf-8")
    lines = excerpt(path, 1)
    assert [line.number for line in lines] == [1, 2, 3, 4]
    assert lines[0].is_error and not lines[1].is_error
    assert [line.number for line in excerpt(path, 10)] == [7, 8, 9, 10]
    assert excerpt(path, 11) == []
    assert excerpt(tmp_path / "gone.txt", 1) == []


def test_inject_before_the_closing_body() -> None:
    tag = client_tag(BuildEvent("s", 1, 1))
    page = inject(b"<html><body><p>x</p></BODY></html>", tag)
    assert page.startswith(b"<html><body><p>x</p><script data-islandgen-server")
    assert page.endswith(b"</script></BODY></html>")
    assert inject(b"<p>fragment</p>", tag) == b"<p>fragment</p>" + tag


@pytest.fixture
def collector_restored() -> Iterator[None]:
    """The test suite's own collector state is put back, whatever the loop left."""
    enabled = gc.isenabled()
    yield
    (gc.enable if enabled else gc.disable)()


def test_garbage_is_collected_once_the_site_is_quiet_not_right_after_a_rebuild(
        site: Path, collector_restored: None) -> None:
    changes = ChangeQueue()
    _, loop, _ = make(site, None, None, changes=changes)
    gc.enable()
    loop.build(None)
    assert not gc.isenabled()  # a pass now would delay the pages the browsers reload
    loop.start()
    changes.add([site / "content/about.md"])  # a save: rebuilt, still no pass
    deadline = time.monotonic() + QUIET_SECONDS + 10
    while not gc.isenabled() and time.monotonic() < deadline:
        time.sleep(0.05)
    changes.close()
    loop.join(timeout=10)
    assert gc.isenabled()
    assert loop.collector.builds_behind == 0


def test_saves_that_never_pause_still_get_their_garbage_collected(
        collector_restored: None) -> None:
    collector = QuietCollector()
    for _ in range(MOST_BUILDS_UNCOLLECTED - 1):
        with collector.paused():
            pass
    assert not collector.overdue and not gc.isenabled()
    with collector.paused():
        pass
    assert collector.overdue
    collector.catch_up()
    assert gc.isenabled() and not collector.overdue
