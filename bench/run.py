#!/usr/bin/env python3
"""Generated Markdown corpus -> build timings and peak memory of islandgen (and its peers).

    python bench/run.py                          # 1,000 and 4,000 pages, 3 runs each
    python bench/run.py --pages 1000 --runs 5    # one size, more runs
    python bench/run.py --json /tmp/result.json

For each page count the corpus from ../shared/bench/make_corpus.py becomes an
islandgen site (content/ + islandgen.yaml, default theme), and every scenario is
run --runs times after one unrecorded warm-up build:

    cold       empty cache and empty output: `python -m islandgen build SITE --out OUT --quiet`
    no_change  the same build again, cache and output in place
    edit       append a paragraph to one page, rebuild, check that page's HTML has it

The same corpus is also built, cold, by each peer this machine can run, interleaved
with the islandgen cold runs: Hugo when `hugo` is on PATH (the site in
../shared/bench/peers/hugo), Eleventy when `node` and `npm` are (the site in
bench/peers/eleventy, installed with `npm ci` into bench/.peers/ once per lock file).

Every measured command runs under a small wrapper process that reports the wall
time and the largest max RSS among the processes it waited for, so each figure is
isolated from the others. Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED_BENCH = REPO.parent / "shared" / "bench"
MAKE_CORPUS = SHARED_BENCH / "make_corpus.py"
HUGO_PEER = SHARED_BENCH / "peers" / "hugo"
ELEVENTY_PEER = REPO / "bench" / "peers" / "eleventy"
PEER_INSTALLS = REPO / "bench" / ".peers"  # npm installs kept between runs (gitignored)
ELEVENTY_BIN = "node_modules/@11ty/eleventy/cmd.cjs"  # run with node itself: npx adds start-up
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
class PeerRuns:
    """A peer's cold builds of one corpus, made alternately with islandgen's."""

    name: str  # "hugo": in JSON keys
    title: str  # "Hugo": in the report
    cold: Series


@dataclass(frozen=True)
class PagesResult:
    """Everything measured for one corpus size."""

    pages: int
    islandgen: dict[str, Series]  # SCENARIOS key -> runs
    peers: tuple[PeerRuns, ...]
    html_files: dict[str, int]  # tool -> .html files in its output

    def ratios(self) -> dict[str, float]:
        cold = self.islandgen["cold"]
        out = {
            "no_change_vs_cold": self.islandgen["no_change"].median / cold.median,
            "edit_vs_cold": self.islandgen["edit"].median / cold.median,
        }
        for peer in self.peers:
            out[f"cold_vs_{peer.name}"] = cold.median / peer.cold.median
            # The runs alternate, so each pair saw the same machine state.
            pairs = zip(cold.samples, peer.cold.samples, strict=True)
            out[f"cold_vs_{peer.name}_paired"] = statistics.median(a.seconds / b.seconds for a, b in pairs)
            out[f"peak_rss_vs_{peer.name}"] = cold.peak_rss_mib / peer.cold.peak_rss_mib
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


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html"))


def page_html(out: Path, stem: str) -> Path:
    """Where content/<stem>.md is written: /<stem>/ -> OUT/<stem>/index.html."""
    path = out / stem / "index.html"
    if not path.is_file():
        raise BenchError(f"{path} was not written; has the URL of content/{stem}.md changed?")
    return path


# --- peers ------------------------------------------------------------------


@dataclass(frozen=True)
class Peer:
    """Another generator, ready to build the corpus for comparison."""

    name: str  # "hugo": in JSON keys and the .html counts
    title: str  # "Hugo": in the report
    version: str
    source: Path  # the peer site, copied next to the corpus
    command: tuple[str, ...]  # the build, run in the site folder
    output: str  # the folder the build writes
    scratch: tuple[str, ...] = ()  # other folders a cold build starts without
    links: tuple[tuple[str, Path], ...] = ()  # (name in the site, folder it links to)

    def make_site(self, content: Path, root: Path) -> Path:
        """The peer site with the corpus as its content/."""
        shutil.copytree(self.source, root, ignore=shutil.ignore_patterns("node_modules"))
        shutil.copytree(content, root / "content")
        for name, target in self.links:
            (root / name).symlink_to(target, target_is_directory=True)
        return root

    def cold(self, site: Path) -> Sample:
        clear(site / self.output, *(site / name for name in self.scratch))
        return measure(self.command, site)


def find_hugo() -> Peer | str:
    """Hugo from PATH with the shared peer site, or why not."""
    if shutil.which("hugo") is None:
        return "hugo not found on PATH"
    done = subprocess.run(["hugo", "version"], capture_output=True, text=True, check=False)
    version = done.stdout.strip() or "hugo (version unknown)"
    return Peer("hugo", "Hugo", version, HUGO_PEER, ("hugo", "--quiet"), "public", scratch=("resources",))


def find_eleventy() -> Peer | str:
    """Eleventy installed from bench/peers/eleventy's lock file, or why not."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        return " and ".join(missing) + " not found on PATH"
    try:
        modules = npm_install(ELEVENTY_PEER, PEER_INSTALLS / "eleventy")
    except (BenchError, OSError) as exc:
        return f"could not install it: {exc}"
    manifest = json.loads((modules / "@11ty" / "eleventy" / "package.json").read_text(encoding="utf-8"))
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, check=False)
    version = f"eleventy {manifest['version']} (node {node.stdout.strip()})"
    command = ("node", ELEVENTY_BIN, "--quiet")
    return Peer(
        "eleventy", "Eleventy", version, ELEVENTY_PEER, command, "_site", links=(("node_modules", modules),)
    )


def npm_install(package: Path, dest: Path) -> Path:
    """`npm ci` of package's lock file into dest, unless dest holds that install already."""
    manifests = [package / "package.json", package / "package-lock.json"]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in manifests)).hexdigest()
    modules, stamp = dest / "node_modules", dest / "installed.sha256"
    if modules.is_dir() and stamp.is_file() and stamp.read_text(encoding="utf-8") == digest:
        return modules
    progress(f"installing the {package.name} peer: npm ci in {dest}")
    clear(dest)
    dest.mkdir(parents=True)
    for path in manifests:
        shutil.copy2(path, dest)
    command = ["npm", "ci", "--no-audit", "--no-fund"]
    done = subprocess.run(command, cwd=dest, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(_failure("failed", command, done.returncode, done.stdout + done.stderr))
    stamp.write_text(digest, encoding="utf-8")
    return modules


# Each finder returns the peer ready to run, or why this machine can't run it.
PEERS: dict[str, Callable[[], Peer | str]] = {"hugo": find_hugo, "eleventy": find_eleventy}


def find_peers(wanted: Collection[str]) -> tuple[list[Peer], dict[str, str]]:
    """The peers asked for that this machine can run, and why it skips the others."""
    found: list[Peer] = []
    skipped: dict[str, str] = {}
    for name, find in PEERS.items():
        peer = find() if name in wanted else "not asked for (--peers)"
        if isinstance(peer, Peer):
            found.append(peer)
        else:
            skipped[name] = peer
            progress(f"{name} skipped: {peer}")
    return found, skipped


# --- scenarios --------------------------------------------------------------


def compile_islandgen() -> None:
    """Write the bytecode of the islandgen being measured, as `pip install` does.

    Every build runs `python -m islandgen` from the repository root, so the
    islandgen measured is this checkout's, installed or not. Left to the
    interpreter, its bytecode is not written where PYTHONDONTWRITEBYTECODE is
    set (as on these machines), and every measured run compiled islandgen's
    modules from source again: ~0.1 s a run that no user of an installed
    islandgen pays.
    """
    compileall.compile_dir(REPO / "islandgen", quiet=1)


def clear(*folders: Path) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def islandgen_cold(command: list[str], site: Path, out: Path) -> Sample:
    clear(out, site / CACHE_DIR)
    return measure(command, REPO)


def session_edits(site: Path, out: Path, runs: int) -> Series:
    """One-file edits through a live BuildSession, the path `islandgen serve` takes.

    One process builds once, then times each edit's rebuild until it returns
    (the page's HTML is written by then); its peak RSS covers all of it.
    """
    pages = sorted((site / "content").glob("page-*.md"))
    if not pages:
        raise BenchError(f"no page-*.md in {site / 'content'}")
    page = pages[min(EDIT_PAGE, len(pages)) - 1]
    script = REPO / "bench" / "session_edit.py"
    command = [sys.executable, str(script), str(site), str(out), str(page), str(runs)]
    # the script's own folder comes first on its path, not the root: import this checkout's
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH")))),
    }
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchError(_failure("failed", command, done.returncode, done.stderr))
    report = json.loads(done.stdout)
    peak = _kib_to_mib(report["maxrss_kib"])
    return Series(tuple(Sample(seconds, peak) for seconds in report["seconds"]))


def bench_pages(pages: int, runs: int, template: str, peers: Sequence[Peer], work: Path) -> PagesResult:
    """All scenarios for one corpus size, in the order cold, no-change, edit."""
    site = make_site(pages, work / f"site-{pages}")
    out = work / f"out-{pages}"
    command = expand(template, site, out)
    peer_sites = [peer.make_site(site / "content", work / f"{peer.name}-{pages}") for peer in peers]

    def cold_round() -> tuple[Sample, list[Sample]]:
        """Each peer's cold build, then islandgen's: back to back, the same machine state."""
        others = [peer.cold(peer_site) for peer, peer_site in zip(peers, peer_sites, strict=True)]
        return islandgen_cold(command, site, out), others

    progress(f"{pages} pages: warm-up")
    cold_round()
    progress(f"{pages} pages: cold x{runs} ({', '.join(['islandgen', *(p.name for p in peers)])})")
    rounds = [cold_round() for _ in range(runs)]
    results = {"cold": Series(tuple(own for own, _ in rounds))}
    peer_runs = tuple(
        PeerRuns(peer.name, peer.title, Series(tuple(others[k] for _, others in rounds)))
        for k, peer in enumerate(peers)
    )
    html_files = {"islandgen": count_html(out)}
    for peer, peer_site in zip(peers, peer_sites, strict=True):
        html_files[peer.name] = count_html(peer_site / peer.output)
    progress(f"{pages} pages: no-change x{runs}")
    results["no_change"] = series(lambda k: measure(command, REPO), runs)
    progress(f"{pages} pages: one-file edit x{runs}")
    results["edit"] = session_edits(site, out, runs)
    return PagesResult(pages, results, peer_runs, html_files)


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
        found.extend(
            Target(f"cold build faster than {peer.title}" + at, ratios[f"cold_vs_{peer.name}"], 1.0)
            for peer in r.peers
        )
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


def machine_info(peers: Sequence[Peer], skipped: dict[str, str]) -> dict[str, Any]:
    """The machine, and each peer's version (None when skipped: `peers_skipped` says why)."""
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    versions = {peer.name: peer.version for peer in peers}
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": affinity,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "python_executable": sys.executable,
        **{name: versions.get(name) for name in PEERS},
        "peers_skipped": skipped,
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
                **peers_json(r),
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


def peers_json(r: PagesResult) -> dict[str, Any]:
    """One key per known peer, None for those skipped, as result files have always had."""
    runs = {peer.name: {"cold": peer.cold.to_json()} for peer in r.peers}
    return {name: runs.get(name) for name in PEERS}


def table(results: Sequence[PagesResult]) -> str:
    # One "vs" column per peer that ran, in the order of PEERS.
    titles = {peer.name: peer.title for r in results for peer in r.peers}
    header = ["pages", "scenario", "median", "min-max", "peak RSS*", *(f"vs {t}" for t in titles.values())]
    rows = [header]
    for r in results:
        ratios = r.ratios()
        vs = [f"{ratios[f'cold_vs_{name}']:.2f}x" if f"cold_vs_{name}" in ratios else "" for name in titles]
        for key, label in SCENARIOS.items():
            cells = vs if key == "cold" else [""] * len(titles)
            rows.append(table_row(r.pages, f"islandgen {label}", r.islandgen[key], cells))
        rows.extend(
            table_row(r.pages, f"{peer.name} cold build", peer.cold, [""] * len(titles)) for peer in r.peers
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 1 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def table_row(pages: int, label: str, s: Series, vs: list[str]) -> list[str]:
    return [
        str(pages),
        label,
        f"{s.median:.3f} s",
        f"{min(s.times):.3f}-{max(s.times):.3f} s",
        f"{s.peak_rss_mib:.1f} MiB",
        *vs,
    ]


def summary(results: Sequence[PagesResult], machine: dict[str, Any], runs: int) -> str:
    lines = [
        f"islandgen bench: {machine['cpu_count']} CPUs, {machine['platform']}, "
        f"Python {machine['python']}, {runs} run(s) per scenario",
        *(peer_line(name, machine) for name in PEERS),
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


def peer_line(name: str, machine: dict[str, Any]) -> str:
    version: str | None = machine[name]
    if version is not None:
        return version
    why = machine["peers_skipped"][name].splitlines()[0].rstrip(":")
    return f"{name} skipped, no comparison with it: {why}"


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
        "--peers",
        nargs="*",
        choices=sorted(PEERS),
        default=list(PEERS),
        help="peers to build beside islandgen, if installed (default: all; none: --peers)",
    )
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
    compile_islandgen()
    peers, skipped = find_peers(args.peers)
    machine = machine_info(peers, skipped)
    try:
        with tempfile.TemporaryDirectory(prefix="islandgen-bench-") as tmp:
            results = [bench_pages(n, args.runs, args.command, peers, Path(tmp)) for n in args.pages]
    except (BenchError, subprocess.CalledProcessError) as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    settings = {
        "pages": args.pages,
        "runs": args.runs,
        "warmup": 1,
        "command": args.command,
        "peers": args.peers,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(to_json(results, machine, settings), indent=2) + "\n", encoding="utf-8")
    print(summary(results, machine, args.runs))
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
