"""The runtime every page with islands loads stays under 1 KB; the rest comes on demand.

The eager runtime (islandgen/client/runtime/island.js) is the element, the
load/only/idle/visible/media strategies and plain-JSON props. Three chunks
come only where a page needs them, and the build preloads them there: the
props decoder (a payload with tags, or in a file), the `interaction`
strategy, and the server function client (a stub imports it; the decoder
loads it for a `$h` prop, and only then is it written at all).
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from browsing import Served, Tab

from islandgen.client.minify import minify_js

RUNTIME = Path(__file__).parents[2] / "islandgen" / "client" / "runtime" / "island.js"


@pytest.fixture(scope="module")
def hydration(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("hydration"))


@pytest.fixture(scope="module")
def codec(built: Callable[..., Path], serve: Callable[..., Served]) -> Served:
    return serve(built("codec"))


def _preloaded(tab: Tab) -> list[str]:
    return sorted(tab.page.eval_on_selector_all(
        "link[rel=modulepreload]", "links => links.map((l) => l.href.split('/').pop().split('.')[0])"))


def _stems(served: Served) -> list[str]:
    return sorted(name.split(".")[0] for name in served.scripts())


def test_the_runtime_is_at_most_one_kilobyte_gzipped(built: Callable[..., Path]) -> None:
    (runtime,) = (built("hydration") / "_islands").glob("island.*.js")
    assert len(gzip.compress(runtime.read_bytes(), 9)) <= 1024
    # and the source minifies to the same bytes, so the figure is the project's minifier's
    source = minify_js(RUNTIME.read_text(encoding="utf-8"))
    assert re.sub(r"\.[0-9a-f]{8}\.js", ".js", runtime.read_text(encoding="utf-8")) == source


def test_plain_props_need_no_decoder(tab_for: Callable[..., Tab], hydration: Served) -> None:
    tab = tab_for(hydration).open("/load/")
    assert tab.hydrated() == ["load"]
    assert _preloaded(tab) == ["Probe"]
    assert _stems(hydration) == ["Probe", "island"]
    assert tab.errors == []


@pytest.mark.parametrize("path", ["/cases/", "/large/"], ids=["tagged", "payload-file"])
def test_tagged_or_outlined_props_preload_the_decoder(tab_for: Callable[..., Tab], codec: Served,
                                                      path: str) -> None:
    tab = tab_for(codec).open(path)
    assert "decode" in _preloaded(tab)
    assert _stems(codec).count("decode") == 1
    assert tab.page.locator("ig-island[error]").count() == 0
    assert tab.errors == []


def test_the_interaction_chunk_comes_with_an_interaction_island(tab_for: Callable[..., Tab],
                                                                hydration: Served) -> None:
    tab = tab_for(hydration).open("/interaction/")
    assert _preloaded(tab) == ["interaction"]  # the strategy, not the island's chunk
    assert _stems(hydration) == ["interaction", "island"]
    tab.page.locator("button").click()
    tab.page.wait_for_function("(window.hydrated || []).includes('interaction')")
    assert tab.page.locator("button output").text_content() == "1"  # the first click replayed
    tab.open("/visible/", settle=False)
    tab.runtime_ready()
    assert "interaction" not in _stems(hydration)


def test_an_unknown_strategy_fails_the_island(tab_for: Callable[..., Tab],
                                              hydration: Served) -> None:
    tab = tab_for(hydration).open("/load/")
    tab.evaluate("""() => document.body.insertAdjacentHTML('beforeend',
      '<ig-island uid="x" component="/nowhere.js" client="sometimes"></ig-island>')""")
    tab.page.wait_for_selector("ig-island[uid=x][error]", state="attached")
    assert any("islandgen: island failed" in e for e in tab.errors)


def test_no_server_function_client_without_server_functions(built: Callable[..., Path]) -> None:
    for name in ("hydration", "nesting", "modules"):  # the codec site has a server function prop
        assert list((built(name) / "_islands").glob("client.*.js")) == [], name


# -- server functions -----------------------------------------------------------------------

HELLO = {"server/hello.py": '"use server"\n\n\nasync def ping() -> str:\n    return "pong"\n'}
PAGE = "<html><head></head><body>{}</body></html>\n"


def test_a_server_function_stub_is_a_preloaded_dependency(make_site: Callable[..., Any]) -> None:
    site = make_site({
        **HELLO,
        "components/Ping.js": "'use client';\nimport { ping } from '../server/hello.py';\n"
                              "export default async function Ping(el) {}\n",
        "pages/x.html": PAGE.format('{{ Ping(client="load") }}'),
    })
    result = site.build()
    manifest = json.loads((site.out / "_islands" / "manifest.json").read_text(encoding="utf-8"))
    deps = [url.split("/")[-1].split(".")[0] for url in manifest["Ping"]["deps"]]
    assert deps == ["client", "decode", "server-hello"]  # the stub, the client it imports
    preloads = [link["href"] for link in site.page("/x/").select("link[rel=modulepreload]")]
    assert [url.split("/")[-1].split(".")[0] for url in preloads] == ["Ping", *deps]
    # first-load JS: the runtime and every preloaded chunk (the stub's bytes only when the
    # build hands build_chunks the stub files)
    sizes = {path.name.split(".")[0]: len(gzip.compress(path.read_bytes(), 9, mtime=0))
             for path in (site.out / "_islands").glob("*.js")}
    (report,) = [route for route in result.routes if route.url == "/x/"]
    counted = sum(sizes[stem] for stem in ("island", "Ping", "client", "decode"))
    assert report.first_load_js in (counted, counted + sizes["server-hello"])


def test_a_server_function_prop_writes_the_client_on_demand(make_site: Callable[..., Any]) -> None:
    site = make_site({
        **HELLO,
        "components/Button.js": "'use client';\nexport default (el, { action }) => {};\n",
        "pages/with.html": PAGE.format('{{ Button(action=server.hello.ping, client="visible") }}'),
        "pages/without.html": PAGE.format('{{ Button(action=1) }}'),
    })
    site.build()
    assert len(list((site.out / "_islands").glob("client.*.js"))) == 1
    (site.root / "pages" / "with.html").unlink()
    site.build()
    assert list((site.out / "_islands").glob("client.*.js")) == []


def test_a_site_with_unused_server_functions_ships_no_client(make_site: Callable[..., Any]) -> None:
    site = make_site({**HELLO,
                      "components/Button.js": "'use client';\nexport default (el) => {};\n",
                      "pages/x.html": PAGE.format("{{ Button() }}")})
    site.build()
    assert list((site.out / "_islands").glob("client.*.js")) == []
    assert list((site.out / "_islands").glob("decode.*.js")) != []  # a runtime chunk, always there
