"""The settings the no-change exit remembers (settings.py): used while what they were read
from stands still, read again as soon as any of it changes.

Settings are only remembered once their files are a second old, so these tests date the
files they wrote back (`settle`), and give the lookup an import path of folders that only
the test writes to: its own site-packages, and the interpreter's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sitefiles import write_files

from islandgen import BuildOptions, build
from islandgen import settings as settings_module
from islandgen.settings import site_settings
from islandgen.themes import bundled_themes_dir

SITE = {"islandgen.yaml": "title: Harbour\ntheme: docs\n",
        "content/index.md": "---\ntitle: Home\n---\nHello.\n"}
REPO = Path(__file__).parent.parent


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_files(tmp_path / "site", SITE)
    return tmp_path / "site"


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty site-packages of the test's own, first on the import path; the checkout's
    folders (where pytest writes bytecode as it goes) are left off it."""
    root = tmp_path / "site-packages"
    root.mkdir()
    kept = [entry for entry in sys.path if not Path(entry or ".").absolute().is_relative_to(REPO)]
    monkeypatch.setattr(sys, "path", [str(root), *kept])
    return root


def settle(*roots: Path) -> None:
    """Date every file and folder under `roots` ten seconds back, as if saved a while ago."""
    past = time.time() - 10
    for root in roots:
        for path in sorted(root.rglob("*"), reverse=True):  # files before their folders
            os.utime(path, (past, past))
        os.utime(root, (past, past))


def remembered(site: Path) -> bool:
    return (site / ".islandgen-cache" / "settings.pickle").is_file()


def no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, reading the settings afresh fails the test."""
    def fail(*args: object) -> None:
        raise AssertionError("the settings were read again")
    monkeypatch.setattr(settings_module, "read_settings", fail)


def install_theme(packages: Path, name: str) -> Path:
    """What pip leaves for a package registering the theme `name`: its module and its metadata."""
    write_files(packages, {
        "kit_pkg/__init__.py": "",
        "kit_pkg/theme.yaml": f"name: {name}\nextends: default\n",
        "kit_pkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: kit-pkg\nVersion: 1.0\n",
        "kit_pkg-1.0.dist-info/entry_points.txt": f"[islandgen.themes]\n{name} = kit_pkg\n",
    })
    return packages / "kit_pkg"


def test_settled_settings_are_remembered_and_used_without_reading_the_files(
        site: Path, packages: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settle(site, packages)
    first = site_settings(site, {})
    assert remembered(site)
    assert first.config.title == "Harbour"
    assert [layer.path for layer in first.layers] == [
        site, bundled_themes_dir() / "docs", bundled_themes_dir() / "default"]
    no_reading(monkeypatch)
    assert site_settings(site, {}) == first


def test_files_saved_just_before_the_lookup_are_not_remembered(site: Path, packages: Path) -> None:
    """They may have been saved while the lookup read them."""
    assert site_settings(site, {}).config.title == "Harbour"
    assert not remembered(site)


def test_an_edited_config_is_read_again(site: Path, packages: Path) -> None:
    settle(site, packages)
    site_settings(site, {})
    (site / "islandgen.yaml").write_text("title: Harbour Office\ntheme: docs\n")
    assert site_settings(site, {}).config.title == "Harbour Office"
    settle(site)
    assert site_settings(site, {}).config.title == "Harbour Office"


def test_other_command_line_overrides_are_other_settings(site: Path, packages: Path) -> None:
    settle(site, packages)
    assert not site_settings(site, {}).config.build.drafts
    assert site_settings(site, {"drafts": True}).config.build.drafts
    assert not site_settings(site, {}).config.build.drafts


def test_a_site_theme_added_beside_the_bundled_one_takes_its_place(site: Path, packages: Path) -> None:
    settle(site, packages)
    site_settings(site, {})
    write_files(site, {"themes/docs/theme.yaml": "name: docs\n"})
    assert [layer.path for layer in site_settings(site, {}).layers] == [site, site / "themes/docs"]


def test_a_theme_yaml_edited_in_place_is_read_again(site: Path, packages: Path) -> None:
    write_files(site, {"islandgen.yaml": "theme: mine\n", "themes/mine/theme.yaml": "name: mine\n"})
    settle(site, packages)
    assert [layer.name for layer in site_settings(site, {}).layers] == ["site", "mine"]
    folder = site / "themes/mine"
    dated = folder.stat().st_mtime_ns
    (folder / "theme.yaml").write_text("name: mine\nextends: docs\n")
    os.utime(folder, ns=(dated, dated))  # the folder alone would not tell
    assert [layer.name for layer in site_settings(site, {}).layers] == ["site", "mine", "docs", "default"]


def test_a_theme_installed_after_the_lookup_wins_over_the_bundled_one(
        site: Path, packages: Path) -> None:
    settle(site, packages)
    assert site_settings(site, {}).layers[1].path == bundled_themes_dir() / "docs"
    folder = install_theme(packages, "docs")
    assert site_settings(site, {}).layers[1].path == folder


def test_a_config_edit_after_a_remembered_no_change_build_is_built(site: Path, packages: Path) -> None:
    """End to end: `build` answers from the remembered settings, then sees the edit."""
    out = site.parent / "out"
    settle(site, packages)
    build(site, BuildOptions(out_dir=out))
    assert remembered(site)
    assert build(site, BuildOptions(out_dir=out)).files_written == 0
    (site / "islandgen.yaml").write_text("title: Harbour Office\ntheme: docs\n")
    assert build(site, BuildOptions(out_dir=out)).files_written > 0
    assert "Harbour Office" in (out / "index.html").read_text()


def test_an_up_to_date_build_imports_neither_yaml_nor_package_metadata(site: Path) -> None:
    """The point of remembering: the no-change exit is mostly Python's start-up."""
    settle(site.parent)

    def imported() -> set[str]:
        done = subprocess.run([sys.executable, "-X", "importtime", "-m", "islandgen", "build",
                               str(site), "--quiet"], cwd=site.parent, capture_output=True,
                              text=True, check=True)
        return {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}

    assert "yaml" in imported()  # the first build reads the settings (and remembers them)
    assert remembered(site)
    modules = imported()
    assert "islandgen.fastpath" in modules
    assert not {"yaml", "importlib.metadata", "jinja2"} & modules
