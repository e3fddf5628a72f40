"""`islandgen check` and `build --check`: every problem as `source:line → target: what`, exit 1.

Runs the CLI in-process on copies of the sample site (below /myrepo/, as a
project site on GitHub Pages would be) and on small sites made for one problem.
"""

from __future__ import annotations

from pathlib import Path

from hosting import copy_sample

CONFIG = "theme: plain\nbase_url: https://example.org\n"
PLANTED = "Planted: [an old page](/nowhere/) and [a lost part](blog/theming.md#no-such-part).\n"


def sample_with(tmp_path: Path, extra: str = "") -> tuple[Path, int]:
    """The sample below /myrepo/ with `extra` appended to About; the line it starts on."""
    site = copy_sample(tmp_path / "site", base_path="/myrepo/")
    about = site / "content" / "about.md"
    text = about.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    about.write_text(text + extra, encoding="utf-8")
    return site, text.count("\n") + 1


def test_the_sample_site_below_a_subpath_has_no_problems(tmp_path, run_cli):
    site, _ = sample_with(tmp_path)
    result = run_cli("check", site)
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1].endswith(": no problems")


def test_a_planted_broken_link_and_anchor_point_at_the_markdown_line(tmp_path, run_cli):
    site, line = sample_with(tmp_path, PLANTED)
    result = run_cli("check", cwd=site)
    assert result.code == 1
    lines = result.out.splitlines()
    planted = [
        f"content/about.md:{line} → /myrepo/nowhere/: no such page",
        f"content/about.md:{line} → /myrepo/blog/theming/#no-such-part: "
        'no element with id "no-such-part" on that page',
    ]
    assert [text for text in lines if text.startswith("content/about.md:")] == planted
    assert lines[-1].startswith("checked ") and lines[-1].endswith(" problems")


def test_build_check_builds_then_checks(tmp_path, run_cli):
    site, line = sample_with(tmp_path, PLANTED)
    result = run_cli("build", "--check", cwd=site)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].startswith("built ")
    assert f"content/about.md:{line} → /myrepo/nowhere/: no such page" in lines
    assert run_cli("build", cwd=site).code == 0  # without --check the build itself is fine


def test_build_check_after_a_build_that_changed_nothing(tmp_path, run_cli):
    site, line = sample_with(tmp_path, PLANTED)
    run_cli("build", site)
    result = run_cli("build", "--check", cwd=site)
    assert f"content/about.md:{line} → /myrepo/nowhere/: no such page" in result.out.splitlines()


def test_a_missing_island_chunk_is_reported(tmp_path, run_cli):
    site, _ = sample_with(tmp_path)
    assert run_cli("build", site).code == 0
    chunk = next((site / "dist" / "_islands").glob("Counter.*.js"))
    chunk.unlink()
    result = run_cli("check", "--no-build", cwd=site)
    assert result.code == 1
    missing = [line for line in result.out.splitlines() if line.endswith("missing island chunk")]
    assert missing
    assert all(f"→ /myrepo/_islands/{chunk.name}:" in line for line in missing)
    assert any(line.startswith("dist/_islands/manifest.json:1 → ") for line in result.out.splitlines())


def test_links_assets_orphans_and_template_links(make_site, run_cli):
    site = make_site({
        "islandgen.yaml": CONFIG,
        "content/index.md": "# Home\n\n[A](a.md) and [the list](/links/).\n",
        "content/a.md": "# A\n\n![logo](/img/logo.png)\n\n[up](index.md#top) [B](#b)\n",
        "content/orphan.md": "# Orphan\n",
        "pages/links.html": '<!doctype html>\n<title>Links</title>\n<a href="/">home</a>\n'
                            "<a href=\"{{ '/gone/' | url }}\">gone</a>\n",
        "layouts/page.html": '{% extends "layouts/base.html" %}\n'
                             '{% block main %}{{ content }}\n<a href="/made-up/">x</a>{% endblock %}\n',
    })
    result = run_cli("check", cwd=site.root)
    assert result.code == 1
    assert result.out.splitlines()[:-1] == [
        "content/a.md:3 → /img/logo.png: missing asset",
        'content/a.md:5 → #b: no element with id "b" on that page',
        "dist/a/index.html:14 → /made-up/: no such page",
        "pages/links.html:4 → /gone/: no such page",
        "dist/orphan/index.html:12 → /made-up/: no such page",
        "content/orphan.md:1 → /orphan/: not reachable by links from the home page",
    ]


def test_check_without_building_points_at_output_lines(make_site, run_cli):
    site = make_site({"islandgen.yaml": CONFIG, "content/index.md": "# Home\n\n[gone](/gone/)\n"})
    assert run_cli("build", site.root).code == 0
    result = run_cli("check", "--no-build", cwd=site.root)
    assert result.code == 1
    assert result.out.splitlines()[0].startswith("dist/index.html:")
    assert result.out.splitlines()[0].endswith(" → /gone/: no such page")


def test_check_without_an_output_folder_is_a_usage_error(make_site, run_cli):
    site = make_site({"content/index.md": "# Home\n"})
    result = run_cli("check", "--no-build", site.root)
    assert result.code == 2
    assert "no built site at" in result.error


def test_without_base_url_check_says_what_was_left_out(make_site, run_cli):
    site = make_site({"content/index.md": "# Home\n"})
    result = run_cli("check", site.root)
    assert result.code == 0
    assert result.out.startswith("note: no base_url in islandgen.yaml: sitemap.xml is not written")
    assert not site.has("/sitemap.xml")
    assert (site.out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
