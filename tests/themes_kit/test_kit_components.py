"""`islandgen components` and the catalog page, against the fixture site sites/catalog/:
the site's components, a local theme's (kit) and the default theme's, overrides by name,
Python and client components, declared examples of every form."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from themekit import SITES, copy_site

from islandgen import BuildOptions, build
from islandgen.catalog import list_components, read_examples, render_catalog
from islandgen.themes import bundled_themes_dir

DEFAULT = bundled_themes_dir() / "default"

# name -> (kind, layer, file relative to its layer, props as written, shell)
EXPECTED = {
    "Badge": ("server", "site", "components/Badge.py", 'label, tone="info"', None),
    "Banner": ("server", "kit", "components/Banner.html", 'text, tone="info"', None),
    "Bare": ("client", "site", "components/Bare.js", "any (not declared)", None),
    "Broken": ("server", "site", "components/Broken.html", "title", None),
    "Callout": ("server", "default", "components/Callout.html", 'kind="note", title=none', None),
    "Card": ("server", "site", "components/Card.html", "title, href=none, level=3, subtitle=none", None),
    "CardGrid": ("server", "default", "components/CardGrid.html", "label=none", None),
    "Counter": ("client", "site", "components/Counter.js", 'start=0, label="Clicks"', "Counter.html"),
    "Date": ("server", "default", "components/Date.py", "value, short=false", None),
    "Figure": ("server", "default", "components/Figure.html",
               "src, alt, caption=none, width=none, height=none", None),
    "Needs": ("server", "site", "components/Needs.html", "title", None),
    "Pagination": ("server", "default", "components/Pagination.html", "pager", None),
    "PostList": ("server", "default", "components/PostList.html", "pages, show_summary=true, level=2", None),
    "TagList": ("server", "default", "components/TagList.html",
                'tags, show_counts=false, label="Tags"', None),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built (the catalog's island chunks are the build's)."""
    root = copy_site(SITES / "catalog", tmp_path_factory.mktemp("catalog") / "catalog")
    build(root, BuildOptions(use_cache=False))
    return root


def test_the_listing_has_every_component_of_the_chain(site: Path) -> None:
    from islandgen.catalog import describe_props

    catalog = list_components(site)
    assert [layer.name for layer in catalog.layers] == ["site", "kit", "default"]
    listed = {info.name: (info.kind, info.layer, catalog.relative(info.path),
                          describe_props(info.props), info.shell.name if info.shell else None)
              for info in catalog.components}
    assert listed == EXPECTED
    assert [info.name for info in catalog.components] == sorted(EXPECTED)


def test_an_override_names_the_files_it_shadows(site: Path) -> None:
    card = next(info for info in list_components(site).components if info.name == "Card")
    assert card.shadows == (site / "themes/kit/components/Card.html", DEFAULT / "components/Card.html")


def test_the_json_listing(site: Path, run_cli) -> None:
    result = run_cli("components", site, "--json")
    assert result.code == 0, result.err
    listed = {c["name"]: c for c in json.loads(result.out)["components"]}
    assert set(listed) == set(EXPECTED)
    assert listed["Counter"]["props"] == [
        {"name": "start", "required": False, "default": 0},
        {"name": "label", "required": False, "default": "Clicks"}]
    assert listed["Counter"]["shell"] == str(site / "components/Counter.html")
    assert listed["Bare"]["props"] is None
    assert listed["Badge"]["props"][0] == {"name": "label", "required": True, "default": None}
    assert listed["Card"]["examples"][1] == {
        "label": "with children", "arguments": 'title="Boxed", href="/"', "line": 3,
        "children": '<p class="child">child <b>HTML</b> and {{ Banner(text="a nested component") }}</p>'}


def test_the_table_listing(site: Path, run_cli) -> None:
    result = run_cli("components", site)
    assert result.code == 0, result.err
    rows = {line.split("│")[0].strip(): [cell.strip() for cell in line.split("│")]
            for line in result.out.splitlines() if "│" in line}
    assert rows["Counter"] == ["Counter", "client", 'start=0, label="Clicks"', "site",
                               "Counter.js + Counter.html"]
    assert rows["Banner"][3] == "kit" and rows["Callout"][3] == "default"
    assert result.out.rstrip().endswith("14 components; looked up in site -> kit -> default (nearest first)")


def test_a_broken_site_is_an_error_at_its_line(tmp_path: Path, run_cli) -> None:
    (tmp_path / "islandgen.yaml").write_text("theme: nope\n")
    result = run_cli("components", tmp_path)
    assert result.code == 1
    assert result.error == f"error: {tmp_path / 'islandgen.yaml'}:1: unknown theme 'nope'"


@pytest.mark.parametrize(("file", "examples"), [
    ("components/Card.html", [("plain", 'title="Plain"', None)]),
    ("components/Badge.py", [("example 1", 'label="New", tone="tip"', None)]),
    ("components/Bare.js", [("example 1", 'text="bare island", client="idle"', None)]),
    ("components/Counter.html", [("from five", "start=5", None)]),
    ("components/Needs.html", []),
])
def test_examples_are_read_from_each_kind_of_file(file: str, examples: list[tuple[str, str, None]]) -> None:
    found = read_examples(SITES / "catalog" / file)
    assert [(e.label, e.arguments, e.children) for e in found][: len(examples) or None] == examples


def catalog_page(site: Path) -> BeautifulSoup:
    return BeautifulSoup(render_catalog(site), "html.parser")


def test_the_catalog_renders_each_component_with_its_examples(site: Path) -> None:
    page = catalog_page(site)
    sections = {section["id"].removeprefix("component-"): section
                for section in page.select("section.ig-catalog__component")}
    assert set(sections) == set(EXPECTED)
    boxed = sections["Card"].select_one("[data-example='with children'] .ig-catalog__stage")
    assert boxed.select_one("article.site-card h3").get_text() == "Boxed"
    assert boxed.select_one("p.child p.banner").get_text() == "a nested component"
    assert sections["Badge"].select_one(".badge.badge--tip").get_text() == "New"
    assert sections["Callout"].select_one("[data-example=defaults] aside.callout")  # no required props


def test_client_components_are_islands_on_the_catalog_page(site: Path) -> None:
    page = catalog_page(site)
    counter = page.select_one("#component-Counter ig-island")
    assert counter["client"] == "load" and counter.output.get_text() == "5"
    chunk = counter["component"].lstrip("/")
    assert (site / "dist" / chunk).is_file()  # the build's own chunk, same name
    bare = page.select_one("#component-Bare ig-island")
    assert bare["client"] == "idle"
    payload = json.loads(page.select_one("script#ig-props").string)
    assert {"start": 5, "label": "Clicks"} in payload["islands"].values()
    assert page.select_one("script[type=module]")  # the runtime


def test_a_broken_example_shows_its_error_in_its_place(site: Path) -> None:
    page = catalog_page(site)
    error = page.select_one("#component-Broken .ig-catalog__error").get_text()
    assert error.startswith(f"{site / 'components/Broken.html'}:2: component Broken: unknown prop 'nope'")
    assert "{# example: title=... #}" in page.select_one("#component-Needs").get_text()
    assert page.select_one("#component-Card .ig-catalog__stage")  # the others still render


def test_the_catalog_uses_the_sites_base_layout(site: Path) -> None:
    page = catalog_page(site)
    assert page.select_one("main#main .ig-catalog h1").get_text() == "Components"
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.title.get_text(strip=True).startswith("Components")


def test_a_missing_site_folder_is_a_usage_error(tmp_path: Path, run_cli) -> None:
    result = run_cli("components", tmp_path / "missing")
    assert (result.code, result.error) == (2, f"error: no site folder at {tmp_path / 'missing'}")
