"""The island element and payload script the runtime reads."""

from __future__ import annotations

from bs4 import BeautifulSoup

from islandgen.islands.markup import (
    island_element,
    payload_file_script,
    payload_script,
    runtime_script,
)
from islandgen.islands.strategies import parse_client


def test_island_element_with_shell_and_children() -> None:
    html = island_element(
        uid="3", component_url="/_islands/Tabs.3f9a2c1b.js", strategies=parse_client("visible"),
        shell_html="<div>shell</div>", children_html='<p class="x">kids</p>', export="Tabs",
    )
    assert html == (
        '<ig-island uid="3" component="/_islands/Tabs.3f9a2c1b.js" client="visible" '
        'export="Tabs"><div>shell</div><template data-slot="default"><p class="x">kids</p>'
        "</template></ig-island>"
    )


def test_only_drops_the_shell_and_attributes_are_escaped() -> None:
    html = island_element(uid='1"', component_url="/a.js?x=1&y=<2>", strategies=parse_client("only"),
                          shell_html="<p>gone</p>")
    element = BeautifulSoup(html, "html.parser").find("ig-island")
    assert element is not None
    assert element["uid"] == '1"'
    assert element["component"] == "/a.js?x=1&y=<2>"
    assert element.decode_contents() == ""


def test_payload_script_is_embedded_safely() -> None:
    html = payload_script('{"v":1,"refs":[],"islands":{"1":{"t":"</script><!--"}}}')
    assert html.count("</script>") == 1
    assert html.startswith('<script type="application/json" id="ig-props">')


def test_payload_file_and_runtime_tags() -> None:
    assert payload_file_script("/_islands/props.ab12.json") == (
        '<script type="application/json" id="ig-props" data-src="/_islands/props.ab12.json">'
        "</script>"
    )
    assert runtime_script("/_islands/island.1.js", ("/_islands/A.2.js",)) == (
        '<link rel="modulepreload" href="/_islands/A.2.js">'
        '<script type="module" src="/_islands/island.1.js"></script>'
    )
