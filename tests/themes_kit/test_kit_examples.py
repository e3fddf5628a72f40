"""Every sample the docs show is a real file that a test builds: the example sites under
docs/examples/ build and check clean, the starter is exactly what `islandgen new` writes,
and the deploy files parse."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from themekit import EXAMPLES, build_and_check, copy_site

from islandgen.scaffold import new_site

SITES = ["starter", "components", "islands", "functions", "themes", "config"]


@pytest.mark.parametrize("name", SITES)
def test_an_example_site_builds_and_checks_clean(name: str, tmp_path: Path) -> None:
    site = copy_site(EXAMPLES / name, tmp_path / name)
    result, report = build_and_check(site)
    assert result.routes
    assert not report.problems, "\n".join(map(str, report.problems))


def test_every_example_folder_is_built_by_a_test() -> None:
    tested = {*SITES, "deploy", "theme-package", "paper-site"}  # the last two: test_kit_themes.py
    assert {path.name for path in EXAMPLES.iterdir() if path.is_dir()} == tested


def test_the_starter_example_is_what_islandgen_new_writes(tmp_path: Path) -> None:
    shown = EXAMPLES / "starter"
    post = yaml.safe_load((shown / "content/blog/hello-world.md").read_text().split("---")[1])
    written = new_site(tmp_path / "starter", today=post["date"])
    files = {path.relative_to(tmp_path / "starter").as_posix(): path.read_text() for path in written}
    example = {path.relative_to(shown).as_posix(): path.read_text()
               for path in sorted(shown.rglob("*")) if path.is_file()}
    assert files == example, ("docs/examples/starter/ differs from `islandgen new`: regenerate it with "
                              "islandgen.scaffold.new_site(path, today=<the post's date>)")


def test_the_islands_example_shares_one_chunk_between_islands(tmp_path: Path) -> None:
    site = copy_site(EXAMPLES / "islands", tmp_path / "islands")
    result, _ = build_and_check(site)
    manifest = json.loads((result.out_dir / "_islands" / "manifest.json").read_text())
    shared = [set(entry.get("deps", entry.get("imports", ()))) for name, entry in manifest.items()
              if name in ("Counter", "Tabs")]
    assert len(shared) == 2 and shared[0] & shared[1], manifest


def test_the_deploy_files_parse() -> None:
    deploy = EXAMPLES / "deploy"
    assert tomllib.loads((deploy / "netlify.toml").read_text())["build"]["publish"] == "dist"
    assert json.loads((deploy / "vercel.json").read_text())["outputDirectory"] == "dist"
    workflow = yaml.safe_load((deploy / "github-pages.yml").read_text())
    assert "islandgen build --check" in str(workflow["jobs"]["deploy"]["steps"])
    compile((deploy / "functions_server.py").read_text(), "functions_server.py", "exec")
    subprocess.run(["sh", "-n", str(deploy / "s3-deploy.sh")], check=True)
    assert "root /srv/mysite/dist;" in (deploy / "nginx.conf").read_text()


def test_the_starter_post_is_dated_in_the_past() -> None:
    text = (EXAMPLES / "starter/content/blog/hello-world.md").read_text()
    assert yaml.safe_load(text.split("---")[1])["date"] < dt.date.today()
