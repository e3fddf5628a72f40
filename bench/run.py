#!/usr/bin/env python3
"""Generated Markdown corpus -> build timings and peak memory of islandgen (and Hugo).

    python bench/run.py                          # 1,000 and 4,000 pages, 3 runs each
    python bench/run.py --pages 1000 --runs 5    # one size, more runs
    python bench/run.py --json /tmp/result.json

For each page count the corpus from ../shared/bench/make_corpus.py becomes an
islandgen site (content/ + islandgen.yaml, default theme), and every scenario is
run --runs times after one unrecorded warm-up build:

    cold       empty cache and empty output: `python -m islandgen build SITE --out OUT --quiet`
    no_change  the same build again, cache and output in place
    edit       append a paragraph to one page, rebuild, check that page's HTML has it

When `hugo` is on PATH the same corpus is also built, cold, with the peer site in
../shared/bench/peers/hugo, interleaved with the islandgen cold runs.

Every measured command runs under a small wrapper process that reports the wall
time and the largest max RSS among the processes it waited for, so each figure is
isolated from the others. Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"
MAKE_CORPUS = SHARED_BENCH / "make_corpus.py"
HUGO_PEER = SHARED_BENCH / "peers" / "hugo"
DEFAULT_JSON = REPO / "bench" / "results" / "latest.json"
CACHE_DIR = ".islandgen-cache"  # inside the site folder
DEFAULT_COMMAND = "{python} -m islandgen build {site} --out {out} --quiet"
EDIT_PAGE = 42  # page-00042.md, or the last page of a smaller corpus

SCENARIOS = {"cold": "cold build", "no_change": "no-change rebuild", "edit": "one-file edit"}

# Runs one command, then prints its wall time and max RSS figures as JSON on
# stdout; the command's own stdout goes to stderr. RUSAGE_CHILDREN covers every
# descendant that was waited for (worker processes included), and since the
# wrapper is a fresh process per measurement it holds this build alone.
_WRAPPER = """\
import json, os, resource, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ,
                      file_actions=[(os.POSIX_SPAWN_DUP2, 2, 1)])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
tree = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "exit": os.waitstatus_to_exitcode(status),
                  "maxrss_child": usage.ru_maxrss, "maxrss_tree": tree}))
"""


class BenchError(Exception):
    """A step of the benchmark failed; the message says which and what to check."""


@dataclass(frozen=True)
class Sample:
    """One measured command: wall time and the max RSS of its largest process."""

    seconds: float
    peak_rss_mib: float


@dataclass(frozen=True)
class Series:
    """The recorded runs of one scenario."""

    samples: tuple[Sample, ...]

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_rss_mib(self) -> float:
        return max(s.peak_rss_mib for s in self.samples)

    def to_json(self) -> dict[str, Any]:
        return {
            "runs": [round(t, 4) for t in self.times],
            "median": round(self.median, 4),
            "min": round(min(self.times), 4),
            "max": round(max(self.times), 4),
            "peak_rss_mib": round(self.peak_rss_mib, 1),
            "peak_rss_mib_runs": [round(s.peak_rss_mib, 1) for s in self.samples],
        }


@dataclass(frozen=True)
class PagesResult:
    """Everything measured for one corpus size."""

    pages: int
    islandgen: dict[str, Series]  # SCENARIOS key -> runs
    hugo: Series | None
    html_files: dict[str, int]  # tool -> .html files in its output

    def ratios(self) -> dict[str, float]:
        cold = self.islandgen["cold"]
        out = {
            "no_change_vs_cold": self.islandgen["no_change"].median / cold.median,
            "edit_vs_cold": self.islandgen["edit"].median / cold.median,
        }
        if self.hugo is not None:
            out["cold_vs_hugo"] = cold.median / self.hugo.median
            # The runs alternate, so each pair saw the same machine state.
            pairs = zip(cold.samples, self.hugo.samples, strict=True)
            out["cold_vs_hugo_paired"] = statistics.median(a.seconds / b.seconds for a, b in pairs)
            out["peak_rss_vs_hugo"] = cold.peak_rss_mib / self.hugo.peak_rss_mib
        return {k: round(v, 3) for k, v in out.items()}


@dataclass(frozen=True)
class Target:
    """One performance goal from the issue, checked against the figures."""

    name: str
    value: float
    limit: float

    @property
    def ok(self) -> bool:
        return self.value <= self.limit


# --- measuring -------------------------------------------------------------


def measure(command: Sequence[str], cwd: Path) -> Sample:
    """Run `command` in `cwd` under the wrapper; fail with its output if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise BenchError(_failure("could not run", command, done.returncode, done.stderr))
    report = json.loads(done.stdout)
    if report["exit"] != 0:
        raise BenchError(_failure("failed", command, report["exit"], done.stderr))
    return Sample(report["seconds"], _kib_to_mib(max(report["maxrss_tree"], report["maxrss_child"])))


def _kib_to_mib(maxrss: int) -> float:
    """ru_maxrss is KiB on Linux and bytes on macOS."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


def _failure(what: str, command: Sequence[str], code: int, output: str) -> str:
    tail = "\n".join(output.strip().splitlines()[-30:])
    return f"{shlex.join(command)} {what} (exit {code}):\n{tail}"


def series(run: Callable[[int], Sample], runs: int) -> Series:
    return Series(tuple(run(k) for k in range(runs)))


# --- sites ------------------------------------------------------------------


def make_corpus(pages: int, dest: Path) -> None:
    if not MAKE_CORPUS.is_file():
        raise BenchError(f"corpus generator not found: {MAKE_CORPUS}")
    subprocess.run(
        [sys.executable, str(MAKE_CORPUS), "--pages", str(pages), "--out", str(dest)],
        check=True,
    )


def make_site(pages: int, root: Path) -> Path:
    """An islandgen site: the corpus as content/ and a config using the default theme."""
    make_corpus(pages, root / "content")
    (root / "islandgen.yaml").write_text(
        f'title: "islandgen bench, {pages} pages"\n'
        "theme: default\n"
        "markdown:\n"
        "  highlight: true  # Hugo highlights every code block too\n",
        encoding="utf-8",
    )
    return root


def make_hugo_site(content: Path, root: Path) -> Path:
    """The Hugo peer site with the same corpus in its content/."""
    shutil.copytree(HUGO_PEER, root)
    shutil.copytree(content, root / "content")
    return root


def hugo_version() -> str | None:
    if shutil.which("hugo") is None:
        return None
    done = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "hugo (version unknown)"


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def page_html(out: Path, stem: str) -> Path:
    """Where content/<stem>.md is written: /<stem>/ -> OUT/<stem>/index.html."""
    path = out / stem / "index.html"
    if not path.is_file():
        raise BenchError(f"{path} was not written; has the URL of content/{stem}.md changed?")
    return path


# --- scenarios --------------------------------------------------------------


def clear(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def islandgen_cold(command: list[str], site: Path, out: Path) -> Sample:
    clear(out, site / CACHE_DIR)
    return measure(command, REPO)


def hugo_cold(site: Path) -> Sample:
    clear(site / "public", site / "resources")
    return measure(["hugo", "--quiet"], site)


def session_edits(site: Path, out: Path, runs: int) -> Series:
    """One-file edits through a live BuildSession, the path `islandgen serve` takes.

    One process builds once, then times each edit's rebuild until it returns
    (the page's HTML is written by then); its peak RSS covers all of it.
    """
    pages = sorted((site / "content").glob("page-*.md"))
    if not pages:
        raise BenchError(f"no page-*.md in {site / 'content'}")
    page = pages[min(EDIT_PAGE, len(pages)) - 1]
    command = [sys.executable, str(REPO / "bench" / "session_edit.py"), str(site), str(out),
               str(page), str(runs)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(_failure("failed", command, done.returncode, done.stderr))
    report = json.loads(done.stdout)
    peak = _kib_to_mib(report["maxrss_kib"])
    return Series(tuple(Sample(seconds, peak) for seconds in report["seconds"]))


def bench_pages(pages: int, runs: int, template: str, hugo: bool, work: Path) -> PagesResult:
    """All scenarios for one corpus size, in the order cold, no-change, edit."""
    site = make_site(pages, work / f"site-{pages}")
    out = work / f"out-{pages}"
    command = expand(template, site, out)
    hugo_site = make_hugo_site(site / "content", work / f"hugo-{pages}") if hugo else None

    def cold_pair() -> tuple[Sample, Sample | None]:
        peer = hugo_cold(hugo_site) if hugo_site is not None else None
        return islandgen_cold(command, site, out), peer

    progress(f"{pages} pages: warm-up")
    cold_pair()
    progress(f"{pages} pages: cold x{runs}" + (" (islandgen and hugo)" if hugo_site else ""))
    pairs = [cold_pair() for _ in range(runs)]
    results = {"cold": Series(tuple(own for own, _ in pairs))}
    hugo_runs = [peer for _, peer in pairs if peer is not None]
    html_files = {"islandgen": count_html(out)}
    progress(f"{pages} pages: no-change x{runs}")
    results["no_change"] = series(lambda k: measure(command, REPO), runs)
    progress(f"{pages} pages: one-file edit x{runs}")
    results["edit"] = session_edits(site, out, runs)
    if hugo_site is not None:
        html_files["hugo"] = count_html(hugo_site / "public")
    hugo_series = Series(tuple(hugo_runs)) if hugo_runs else None
    return PagesResult(pages, results, hugo_series, html_files)


def expand(template: str, site: Path, out: Path) -> list[str]:
    values = {"python": sys.executable, "site": str(site), "out": str(out)}
    return [arg.format(**values) for arg in shlex.split(template)]


def progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


# --- targets and report ---------------------------------------------------------


def targets(results: Sequence[PagesResult]) -> list[Target]:
    """The goals from the performance issue that these figures can check."""
    found: list[Target] = []
    for r in results:
        at = f" ({r.pages} pages)"
        ratios = r.ratios()
        if r.pages == 4000:
            found.append(Target("cold build < 5 s" + at, r.islandgen["cold"].median, 5.0))
            found.append(Target("one-file edit < 100 ms" + at, r.islandgen["edit"].median, 0.1))
        if "cold_vs_hugo" in ratios:
            found.append(Target("cold build faster than Hugo" + at, ratios["cold_vs_hugo"], 1.0))
        found.append(Target("no-change rebuild <= 10% of cold" + at, ratios["no_change_vs_cold"], 0.10))
        peak = max(s.peak_rss_mib for s in r.islandgen.values())
        found.append(Target("peak memory < 200 MiB" + at, peak, 200.0))
    found.extend(
        Target(
            f"{big.pages}-page cold <= {1.1 * big.pages / small.pages:.1f}x {small.pages}-page cold",
            ratio,
            1.1 * big.pages / small.pages,
        )
        for small, big, ratio in scaling_pairs(results)
    )
    return found


def scaling_pairs(results: Sequence[PagesResult]) -> list[tuple[PagesResult, PagesResult, float]]:
    """Each larger corpus against the smallest: (small, big, cold time ratio)."""
    ordered = sorted(results, key=lambda r: r.pages)
    return [
        (ordered[0], big, big.islandgen["cold"].median / ordered[0].islandgen["cold"].median)
        for big in ordered[1:]
        if big.pages > ordered[0].pages
    ]


def machine_info(hugo: str | None) -> dict[str, Any]:
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": affinity,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        "hugo": hugo,
        "git_commit": git_commit(),
    }


def git_commit() -> str | None:
    done = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def to_json(
    results: Sequence[PagesResult], machine: dict[str, Any], settings: dict[str, Any]
) -> dict[str, Any]:
    return {
        "machine": machine,
        "settings": settings,
        "pages": {
            str(r.pages): {
                "islandgen": {k: s.to_json() for k, s in r.islandgen.items()},
                "hugo": {"cold": r.hugo.to_json()} if r.hugo is not None else None,
                "html_files": r.html_files,
                "ratios": r.ratios(),
            }
            for r in results
        },
        "scaling": {
            f"{big.pages}/{small.pages}": round(ratio, 3) for small, big, ratio in scaling_pairs(results)
        },
        "targets": [
            {"name": t.name, "value": round(t.value, 4), "limit": t.limit, "ok": t.ok}
            for t in targets(results)
        ],
    }


def table(results: Sequence[PagesResult]) -> str:
    header = ["pages", "scenario", "median", "min-max", "peak RSS*", "vs Hugo"]
    rows = [header]
    for r in results:
        ratio = r.ratios().get("cold_vs_hugo")
        for key, label in SCENARIOS.items():
            vs_hugo = f"{ratio:.2f}x" if key == "cold" and ratio is not None else ""
            rows.append(table_row(r.pages, f"islandgen {label}", r.islandgen[key], vs_hugo))
        if r.hugo is not None:
            rows.append(table_row(r.pages, "hugo cold build", r.hugo, ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 2, 3, 4, 5}
    lines = [
        "  ".join(
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def table_row(pages: int, label: str, s: Series, vs_hugo: str) -> list[str]:
    return [
        str(pages),
        label,
        f"{s.median:.3f} s",
        f"{min(s.times):.3f}-{max(s.times):.3f} s",
        f"{s.peak_rss_mib:.1f} MiB",
        vs_hugo,
    ]


def summary(results: Sequence[PagesResult], machine: dict[str, Any], runs: int) -> str:
    hugo = machine["hugo"] or "hugo not found on PATH: peer comparison skipped"
    lines = [
        f"islandgen bench: {machine['cpu_count']} CPUs, {machine['platform']}, "
        f"Python {machine['python']}, {runs} run(s) per scenario",
        hugo,
        "",
        table(results),
        "* peak RSS: max RSS of the largest process of the build, max over the runs",
        "",
    ]
    for r in results:
        files = ", ".join(f"{tool} {n}" for tool, n in r.html_files.items())
        lines.append(f"{r.pages} pages: .html files written: {files}")
    for small, big, ratio in scaling_pairs(results):
        lines.append(f"cold {big.pages} / {small.pages} pages: {ratio:.2f}x")
    lines += ["", "targets:"]
    lines += [
        f"  [{'ok' if t.ok else 'MISS'}] {t.name}: {t.value:.3f} (limit {t.limit:g})"
        for t in targets(results)
    ]
    return "\n".join(lines)


# --- command line -----------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument(
        "--pages",
        type=int,
        nargs="+",
        default=[1000, 4000],
        help="corpus sizes (default: 1000 4000)",
    )
    ap.add_argument("--runs", type=int, default=3, help="recorded runs per scenario (default 3)")
    ap.add_argument(
        "--json",
        type=Path,
        default=DEFAULT_JSON,
        help="result file (default: bench/results/latest.json)",
    )
    ap.add_argument(
        "--command",
        default=DEFAULT_COMMAND,
        help="islandgen build command, for testing the bench itself; "
        "{python}, {site} and {out} are filled in "
        f"(default: {DEFAULT_COMMAND!r})",
    )
    args = ap.parse_args(argv)
    if args.runs < 1 or min(args.pages) < 1:
        ap.error("--runs and --pages must be at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    hugo = hugo_version()
    machine = machine_info(hugo)
    try:
        with tempfile.TemporaryDirectory(prefix="islandgen-bench-") as tmp:
            results = [
                bench_pages(n, args.runs, args.command, hugo is not None, Path(tmp)) for n in args.pages
            ]
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    settings = {"pages": args.pages, "runs": args.runs, "warmup": 1, "command": args.command}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(to_json(results, machine, settings), indent=2) + "\n", encoding="utf-8")
    print(summary(results, machine, args.runs))
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
