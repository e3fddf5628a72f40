"""Time one-file edits the way `islandgen serve` rebuilds them: one live BuildSession.

    python bench/session_edit.py SITE OUT PAGE RUNS

Builds once (warm, with the cache in place: answered from it), then gets the
session ready as the dev server does while it waits for the first edit
(`BuildSession.prepare`: loads the site, compiles the templates, loads the
lexers), then RUNS times appends a marked paragraph to PAGE, tells the session
that file changed, and times the rebuild until it returns (its HTML is written
before it returns). As in the dev server, the
garbage collector is paused for each rebuild and catches up afterwards, off
the clock (islandgen/serve/collector.py). Prints JSON:
{"seconds": [...], "maxrss_kib": N}. PAGE is restored afterwards.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from islandgen.pipeline import BuildOptions, BuildSession
from islandgen.serve.collector import QuietCollector


def main(site: Path, out: Path, page: Path, runs: int) -> int:
    session = BuildSession(site, BuildOptions(out_dir=out))
    collector = QuietCollector()
    session.build()
    with collector.paused():
        session.prepare()
    collector.catch_up()  # the server catches up once no edit has come for a second
    original = page.read_text(encoding="utf-8")
    html = out / page.stem / "index.html"
    seconds: list[float] = []
    try:
        for run in range(runs):
            marker = f"Benchmark session edit number {run + 1} appended this paragraph"
            page.write_text(f"{original}\n{marker}.\n", encoding="utf-8")
            started = time.perf_counter()
            with collector.paused():
                session.build(changed=[page])
            seconds.append(time.perf_counter() - started)
            collector.catch_up()  # the server does this once the browsers have reloaded
            if marker not in html.read_text(encoding="utf-8"):
                print(f"{html} lacks the edit {marker!r}", file=sys.stderr)
                return 1
    finally:
        page.write_text(original, encoding="utf-8")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"seconds": seconds, "maxrss_kib": usage.ru_maxrss}))
    return 0


if __name__ == "__main__":
    site_arg, out_arg, page_arg, runs_arg = sys.argv[1:5]
    raise SystemExit(main(Path(site_arg), Path(out_arg), Path(page_arg), int(runs_arg)))
