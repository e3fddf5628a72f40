"""Themes by name: a site's own, installed packages (entry point group `islandgen.themes`),
bundled ones, in that order; a missing theme's error lists them all.

The example package (docs/examples/theme-package) is installed with pip into a fresh venv,
and the example site that names it is built with that venv's python. The finer points of
lookup run in-process against real distributions: a `.dist-info` folder on sys.path is
exactly what importlib.metadata reads for an installed package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitefiles import write_files
from themekit import EXAMPLES, copy_site, venv_env

from islandgen import BuildOptions, build
from islandgen.errors import ConfigError
from islandgen.themes import available_themes, bundled_themes_dir, resolve_layers


def run_in_venv(python: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-m", "islandgen", *map(str, args)], capture_output=True,
                          text=True, env={**venv_env(), "COLUMNS": "300"}, check=False)


# -- installed with pip --------------------------------------------------------------------


def test_a_site_builds_with_a_theme_installed_by_pip(paper_venv: Path, tmp_path: Path) -> None:
    site = copy_site(EXAMPLES / "paper-site", tmp_path / "site")
    built = run_in_venv(paper_venv, "build", site, "--check")
    assert built.returncode == 0, built.stdout + built.stderr
    page = BeautifulSoup((site / "dist" / "index.html").read_text(), "html.parser")
    assert page.select_one("span.stamp").get_text() == "Installed theme"
    assert [link["href"] for link in page.select("link[rel=stylesheet]") if "paper" in link["href"]]
    assert page.select_one("a.skip-link")  # the default theme's shell, which paper extends


def test_the_listing_shows_the_installed_copy(paper_venv: Path, tmp_path: Path) -> None:
    site = copy_site(EXAMPLES / "paper-site", tmp_path / "site")
    listed = run_in_venv(paper_venv, "components", site, "--json")
    assert listed.returncode == 0, listed.stderr
    catalog = json.loads(listed.stdout)
    assert [layer["name"] for layer in catalog["layers"]] == ["site", "paper", "default"]
    stamp = next(c for c in catalog["components"] if c["name"] == "Stamp")
    assert stamp["layer"] == "paper" and "site-packages" in stamp["file"]
    assert stamp["props"] == [{"name": "text", "required": False, "default": "Printed on paper"}]


def test_an_unknown_theme_lists_installed_and_bundled_ones(paper_venv: Path, tmp_path: Path) -> None:
    write_files(tmp_path / "site", {"islandgen.yaml": "title: T\ntheme: papr\n"})
    failed = run_in_venv(paper_venv, "build", tmp_path / "site")
    assert failed.returncode == 1
    assert "islandgen.yaml:2: unknown theme 'papr'" in failed.stderr
    assert "did you mean 'paper'?" in failed.stderr
    assert "paper (installed); default, docs (bundled)" in " ".join(failed.stderr.split())


def test_the_sites_own_theme_wins_over_an_installed_one(paper_venv: Path, tmp_path: Path) -> None:
    site = copy_site(EXAMPLES / "paper-site", tmp_path / "site")
    write_files(site, {
        "themes/paper/theme.yaml": "name: paper\nextends: default\n",
        "themes/paper/components/Stamp.html": "{% props text %}<b class=local>{{ text }}</b>\n",
    })
    assert run_in_venv(paper_venv, "build", site).returncode == 0
    page = BeautifulSoup((site / "dist" / "index.html").read_text(), "html.parser")
    assert page.select_one("b.local") and not page.select_one("span.stamp")


# -- installed, in-process ----------------------------------------------------------------


Install = Callable[..., Path]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """install(dist, {theme: value}, files) -> a distribution registering those themes, on sys.path."""
    root = tmp_path / "site-packages"
    modules: list[str] = []

    def make(dist: str, themes: dict[str, str], files: dict[str, str]) -> Path:
        info = root / f"{dist.replace('-', '_')}-1.0.dist-info"
        points = "".join(f"{name} = {value}\n" for name, value in themes.items())
        write_files(root, {**files,
                           f"{info.name}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n",
                           f"{info.name}/entry_points.txt": f"[islandgen.themes]\n{points}"})
        modules.extend(path.split("/")[0] for path in files if path.endswith(".py"))
        return root

    monkeypatch.syspath_prepend(str(root))
    yield make
    for name in modules:
        sys.modules.pop(name, None)


def site_with(tmp_path: Path, config: str) -> Path:
    write_files(tmp_path / "site", {"islandgen.yaml": config,
                                    "content/index.md": "---\ntitle: Home\n---\nHello.\n"})
    return tmp_path / "site"


def test_an_installed_theme_wins_over_a_bundled_one(tmp_path: Path, install: Install) -> None:
    root = install("kit-docs", {"docs": "kit_docs"}, {
        "kit_docs/__init__.py": "",
        "kit_docs/theme.yaml": "name: docs\nextends: default\n",
        "kit_docs/layouts/home.html": "<p id=installed>{{ page.title }}</p>\n",
    })
    site = site_with(tmp_path, "theme: docs\n")
    layers = resolve_layers(site, "docs", site / "islandgen.yaml")
    assert [(layer.name, layer.path) for layer in layers[1:]] == [
        ("docs", root / "kit_docs"), ("default", bundled_themes_dir() / "default")]
    build(site, BuildOptions(use_cache=False))
    assert (site / "dist" / "index.html").read_text() == "<p id=installed>Home</p>\n"


def test_an_entry_point_may_name_a_folder_attribute(tmp_path: Path, install: Install) -> None:
    root = install("kit-multi", {"slate": "kit_multi:SLATE"}, {
        "kit_multi/__init__.py": "from pathlib import Path\n"
                                 "SLATE = Path(__file__).parent / 'themes' / 'slate'\n",
        "kit_multi/themes/slate/theme.yaml": "name: slate\n",
    })
    site = site_with(tmp_path, "theme: slate\n")
    assert resolve_layers(site, "slate", site / "islandgen.yaml")[1].path == root / "kit_multi/themes/slate"


def test_listing_themes_imports_no_theme_package(tmp_path: Path, install: Install) -> None:
    install("kit-lazy", {"lazy": "kit_lazy"}, {"kit_lazy/__init__.py": "raise RuntimeError('imported')\n",
                                               "kit_lazy/theme.yaml": "name: lazy\n"})
    themes = available_themes(site_with(tmp_path, "title: T\n"))
    assert themes["lazy"].origin == "installed" and themes["docs"].origin == "bundled"
    assert "kit_lazy" not in sys.modules


def test_a_theme_package_that_fails_to_import_is_an_error_at_the_theme_line(
        tmp_path: Path, install: Install) -> None:
    install("kit-broken", {"broken": "kit_broken"},
            {"kit_broken/__init__.py": "import nowhere_to_be_found\n"})
    site = site_with(tmp_path, "title: T\ntheme: broken\n")
    with pytest.raises(ConfigError) as caught:
        resolve_layers(site, "broken", site / "islandgen.yaml")
    assert (caught.value.path, caught.value.line) == (site / "islandgen.yaml", 2)
    assert caught.value.message.startswith("the installed theme 'broken' failed to load: ModuleNotFoundError")
    assert "kit-broken 1.0 (kit_broken)" in caught.value.hint


def test_a_theme_package_without_theme_yaml_is_an_error(tmp_path: Path, install: Install) -> None:
    install("kit-empty", {"empty": "kit_empty"}, {"kit_empty/__init__.py": ""})
    site = site_with(tmp_path, "theme: empty\n")
    with pytest.raises(ConfigError, match=r"theme 'empty' \(kit-empty 1.0 \(kit_empty\)\) has no theme.yaml"):
        resolve_layers(site, "empty", site / "islandgen.yaml")


def test_two_packages_registering_one_name_is_an_error_naming_both(tmp_path: Path, install: Install) -> None:
    install("kit-one", {"twin": "kit_one"}, {"kit_one/__init__.py": "", "kit_one/theme.yaml": "name: twin\n"})
    install("kit-two", {"twin": "kit_two"}, {"kit_two/__init__.py": "", "kit_two/theme.yaml": "name: twin\n"})
    site = site_with(tmp_path, "theme: twin\n")
    with pytest.raises(ConfigError) as caught:
        resolve_layers(site, "twin", site / "islandgen.yaml")
    assert "kit-one 1.0 (kit_one)" in caught.value.message and "kit-two 1.0 (kit_two)" in caught.value.message


def test_a_local_theme_may_extend_an_installed_one(tmp_path: Path, install: Install) -> None:
    install("kit-base", {"base": "kit_base"}, {
        "kit_base/__init__.py": "",
        "kit_base/theme.yaml": "name: base\n",
        "kit_base/layouts/home.html":
            "{% extends 'layouts/shell.html' %}{% block body %}base home{% endblock %}",
        "kit_base/layouts/shell.html": "<main>{% block body %}{% endblock %}</main>\n",
    })
    site = site_with(tmp_path, "theme: mine\n")
    write_files(site, {
        "themes/mine/theme.yaml": "name: mine\nextends: base\n",
        "themes/mine/layouts/shell.html": "<main class=mine>{% block body %}{% endblock %}</main>\n",
    })
    build(site, BuildOptions(use_cache=False))
    assert (site / "dist" / "index.html").read_text() == "<main class=mine>base home</main>\n"
