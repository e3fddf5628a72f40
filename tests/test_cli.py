"""The `islandgen` command: summary, routes table, quiet mode, exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import islandgen

SITE = {
    "content/index.md": "# Home\n",
    "content/blog/hi.md": "---\ntitle: Hi\ndate: 2024-05-01\n---\nHello.\n",
    "content/blog/wip.md": "---\ntitle: WIP\ndraft: true\n---\nSoon.\n",
}


def test_build_prints_a_summary_and_exits_0(make_site, run_cli, html, tmp_path):
    site = make_site(SITE)
    out = tmp_path / "public"
    result = run_cli("build", site.root, "--out", out)
    assert result.code == 0, result.err
    assert result.err == ""
    [summary] = result.out.splitlines()
    assert summary.startswith("built 3 pages, ")
    assert f"-> {out}" in summary
    assert "1 drafts left out" in summary
    assert html(out / "blog" / "hi" / "index.html").h1.get_text() == "Hi"
    assert not (site.root / "dist").exists()


def test_build_defaults_to_the_current_folder_and_dist(make_site, run_cli):
    site = make_site(SITE)
    result = run_cli("build", cwd=site.root)
    assert result.code == 0, result.err
    assert (site.root / "dist" / "index.html").is_file()


def test_verbose_prints_a_table_of_routes(make_site, run_cli):
    site = make_site(SITE)
    result = run_cli("build", ".", "--verbose", cwd=site.root)
    assert result.code == 0, result.err
    rows = [[cell.strip() for cell in line.split("│")] for line in result.out.splitlines()]
    sources = {row[0]: row[1] for row in rows if len(row) == 5}
    assert sources == {
        "/": "content/index.md",
        "/blog/": "content/blog",
        "/blog/hi/": "content/blog/hi.md",
    }
    assert result.out.splitlines()[-1].startswith("built 3 pages")


def test_quiet_prints_nothing_on_success(make_site, run_cli):
    site = make_site(SITE)
    result = run_cli("build", site.root, "--quiet")
    assert result == (0, "", "")
    assert (site.root / "dist" / "index.html").is_file()


def test_quiet_still_prints_errors(make_site, run_cli):
    site = make_site({**SITE, "content/blog/hi.md": "---\ntitle: [\n---\n"})
    result = run_cli("build", ".", "--quiet", cwd=site.root)
    assert result.code == 1
    assert result.out == ""
    assert result.error.startswith("error: content/blog/hi.md:")


def test_drafts_flag_builds_drafts(make_site, run_cli):
    site = make_site(SITE)
    result = run_cli("build", site.root, "--drafts")
    assert result.code == 0, result.err
    assert result.out.startswith("built 4 pages")
    assert (site.root / "dist" / "blog" / "wip" / "index.html").is_file()


def test_missing_site_folder_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("build", tmp_path / "nowhere")
    assert result.code == 2
    assert "no site folder" in result.error


def test_output_folder_may_not_hold_the_site(make_site, run_cli):
    site = make_site(SITE)
    result = run_cli("build", site.root, "--out", site.root)
    assert result.code == 2
    assert "contains the site itself" in result.error
    assert (site.root / "content" / "index.md").is_file()


def test_bad_arguments_are_usage_errors(make_site, run_cli):
    site = make_site(SITE)
    assert run_cli("build", site.root, "--no-such-flag").code == 2
    assert run_cli("build", site.root, "--quiet", "--verbose").code == 2
    assert run_cli().code == 2
    assert not (site.root / "dist").exists()


def test_version(run_cli):
    result = run_cli("--version")
    assert (result.code, result.out.strip()) == (0, f"islandgen {islandgen.__version__}")


def test_python_dash_m_runs_the_command():
    package_root = Path(islandgen.__file__).parent.parent
    done = subprocess.run(
        [sys.executable, "-m", "islandgen", "--version"],
        capture_output=True, text=True, cwd=package_root, check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"islandgen {islandgen.__version__}")
