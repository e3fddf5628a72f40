"""Client components by name: one name, one component per layer; nearer layers override farther ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from islandgen.errors import IslandgenError

WIDGET = "'use client';\nexport default (el) => { el.dataset.from = %r; };\n"
PAGE = {"pages/x.html": "<html><head></head><body>{{ Widget() }}</body></html>\n"}


def _error(make_site: Callable[..., Any], files: dict[str, str]) -> IslandgenError:
    with pytest.raises(IslandgenError) as caught:
        make_site({**PAGE, **files}).build()
    return caught.value


def test_two_client_components_with_one_name_are_an_error(make_site: Callable[..., Any]) -> None:
    error = _error(make_site, {"components/a/Widget.js": WIDGET % "a",
                               "components/b/Widget.js": WIDGET % "b"})
    assert error.message == ("two components are named 'Widget': "
                             "components/a/Widget.js and components/b/Widget.js")
    assert error.hint == "rename one of them"


@pytest.mark.parametrize("server", ["components/Widget.py", "components/helpers.py"])
def test_a_client_and_a_python_component_with_one_name_are_an_error(
        make_site: Callable[..., Any], server: str) -> None:
    error = _error(make_site, {"components/Widget.js": WIDGET % "js",
                               server: "def Widget() -> str:\n    return 'from Python'\n"})
    assert error.message == f"two components are named 'Widget': {server} and components/Widget.js"


def test_a_template_elsewhere_in_the_layer_is_a_clash_not_a_shell(
        make_site: Callable[..., Any]) -> None:
    error = _error(make_site, {"components/client/Widget.js": WIDGET % "js",
                               "components/server/Widget.html": "<p>server</p>\n"})
    assert "two components are named 'Widget'" in error.message
    assert "beside the module, as Widget.html" in (error.hint or "")


@pytest.mark.parametrize("shell", ["Widget.html", "Widget.jinja"])
def test_the_template_beside_the_module_is_its_shell(make_site: Callable[..., Any],
                                                      shell: str) -> None:
    site = make_site({**PAGE, "components/Widget.js": WIDGET % "js",
                      f"components/{shell}": "<p>shell</p>\n"})
    site.build()
    assert site.page("/x/").select_one("ig-island p").text == "shell"


def test_the_site_overrides_a_theme_component_of_either_kind(make_site: Callable[..., Any]) -> None:
    site = make_site({**PAGE, "themes/plain/components/Widget.py": (
        "def Widget() -> str:\n    return 'from the theme'\n"),
        "themes/plain/components/Other.js": WIDGET % "theme",
        "components/Widget.js": WIDGET % "site",
        "components/Other.py": "def Other() -> str:\n    return 'from the site'\n",
        "pages/y.html": "{{ Other() }}\n"})
    site.build()
    assert site.page("/x/").select_one("ig-island") is not None
    assert site.file("/y/").read_text(encoding="utf-8").strip() == "from the site"


def test_a_site_template_is_the_shell_of_a_theme_client_component(
        make_site: Callable[..., Any]) -> None:
    site = make_site({**PAGE, "themes/plain/components/Widget.js": WIDGET % "theme",
                      "themes/plain/components/Widget.html": "<p>theme shell</p>\n",
                      "components/Widget.html": "<p>site shell</p>\n"})
    site.build()
    assert site.page("/x/").select_one("ig-island p").text == "site shell"


def test_client_components_in_two_layers_are_no_clash(make_site: Callable[..., Any]) -> None:
    site = make_site({**PAGE, "themes/plain/components/Widget.js": WIDGET % "theme",
                      "components/Widget.js": WIDGET % "site"})
    site.build()
    chunks = sorted((site.out / "_islands").glob("Widget.*.js"))
    assert [c.read_text(encoding="utf-8").count("site") for c in chunks] == [1]
