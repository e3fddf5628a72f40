"""`islandgen new DIR [--theme NAME]`: a working site (zero broken links) that serves at once,
and refusals that write nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from themekit import build_and_check, dev_server, fetch

STARTER = ["islandgen.yaml", "README.md", ".gitignore", "content/index.md", "content/about.md",
           "content/blog/index.md", "content/blog/hello-world.md", "components/Welcome.html",
           "components/Counter.js", "components/Counter.html", "components/Greeter.js",
           "components/Greeter.html", "server/greetings.py"]


@pytest.mark.parametrize("theme", ["default", "docs"])
def test_new_writes_a_site_that_builds_with_no_broken_links(theme: str, tmp_path: Path, run_cli) -> None:
    site = tmp_path / "my-site"
    result = run_cli("new", site, "--theme", theme)
    assert result.code == 0, result.err
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()) == sorted(STARTER)
    assert f"theme: {theme}\n" in (site / "islandgen.yaml").read_text()
    assert "title: My site\n" in (site / "islandgen.yaml").read_text()
    built, report = build_and_check(site)
    assert not report.problems, "\n".join(map(str, report.problems))
    urls = {route.url for route in built.routes}
    assert {"/", "/about/", "/blog/", "/blog/hello-world/"} <= urls
    home = BeautifulSoup((built.out_dir / "index.html").read_text(), "html.parser")
    islands = {island["component"].rsplit("/", 1)[1].split(".")[0]: island
               for island in home.select("ig-island")}
    assert set(islands) == {"Counter", "Greeter"}
    assert islands["Counter"]["client"] == "visible" and islands["Counter"].output.get_text() == "3"
    assert home.select_one("section.welcome strong").get_text() == "Welcome, reader!"
    form = islands["Greeter"].form
    assert form["method"] == "post" and form["action"].startswith("/_fn/")
    assert (site / "dist-functions" / "app.py").is_file()


def test_new_site_serves_at_once_with_its_server_function(tmp_path: Path, run_cli) -> None:
    site = tmp_path / "site"
    assert run_cli("new", site).code == 0
    with dev_server(site) as url:
        status, _, body = fetch(url)
        assert status == 200
        home = BeautifulSoup(body, "html.parser")
        assert home.select_one("ig-island[component*='/Counter.']")
        action = home.select_one("form.greeter")["action"]
        origin = re.match(r"http://[^/]+", url).group(0)
        call = json.dumps({"v": 1, "args": ["Ada"]}).encode()  # what the island's stub sends
        status, _, answer = fetch(origin + action, data=call, headers={
            "Content-Type": "application/json", "X-Islandgen-Action": "1", "Origin": origin})
        reply = json.loads(answer)
        assert (status, reply["ok"], reply["value"]) == (200, True, "Hello, Ada!")
        status, headers, _ = fetch(origin + action, data=b"name=Ada", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Origin": origin, "Referer": url})
        assert status == 303 and headers["location"] == url  # a form post comes back to the page
        status, _, catalog = fetch(origin + "/_islandgen/components")
        assert status == 200 and b'id="component-Greeter"' in catalog


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path, run_cli) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    result = run_cli("new", tmp_path / "mine")
    assert result.code == 2
    assert result.error == f"error: {tmp_path / 'mine'} is not empty"
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


def test_new_accepts_an_empty_folder(tmp_path: Path, run_cli) -> None:
    (tmp_path / "empty").mkdir()
    assert run_cli("new", tmp_path / "empty").code == 0
    assert (tmp_path / "empty" / "islandgen.yaml").is_file()


def test_new_refuses_an_unknown_theme_and_lists_the_known_ones(tmp_path: Path, run_cli) -> None:
    result = run_cli("new", tmp_path / "site", "--theme", "dcos")
    assert result.code == 2
    assert result.error == "error: unknown theme 'dcos'"
    assert "did you mean 'docs'?" in result.err and "default, docs (bundled)" in result.err
    assert not (tmp_path / "site").exists()
