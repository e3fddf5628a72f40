"""Engine bugs the browser work ran into, each pinned by a build-level test.

They are marked xfail(strict=True): the suite stays green while the bug is
there and turns red the day it is fixed, so the marker gets removed with the
fix. Each reason names the code at fault.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from islandgen.errors import IslandgenError


def test_a_data_loader_may_define_dataclasses(make_site: Callable[..., Any]) -> None:
    site = make_site({
        "data/points.py": (
            "from __future__ import annotations\n"
            "import dataclasses\n\n\n"
            "@dataclasses.dataclass\n"
            "class Point:\n"
            "    x: int\n\n\n"
            "def load() -> list[Point]:\n"
            "    return [Point(1)]\n"
        ),
        "pages/p.html": "{{ site.data.points[0].x }}\n",
    })
    site.build()
    assert site.file("/p/").read_text(encoding="utf-8").strip() == "1"


@pytest.mark.xfail(strict=True, reason=(
    "islandgen/islands/component.py discover_client_components keys client modules by "
    "file stem and lets the last one found win: components/a/Widget.js and "
    "components/b/Widget.js build without a word, and only b's chunk exists (two server "
    "components with one name are an error)"))
def test_two_client_components_with_one_name_are_an_error(make_site: Callable[..., Any]) -> None:
    site = make_site({
        "components/a/Widget.js": "'use client';\nexport default (el) => {};\n",
        "components/b/Widget.js": "'use client';\nexport default (el) => { el.hidden = true; };\n",
        "pages/x.html": "{{ Widget() }}\n",
    })
    with pytest.raises(IslandgenError, match="two components are named 'Widget'"):
        site.build()


@pytest.mark.xfail(strict=True, reason=(
    "islandgen/islands/component.py client_components uses a server component of the "
    "same name as the shell only when it is a template; a Python component Card.py "
    "beside Card.js is silently replaced by the client component"))
def test_a_client_and_a_python_component_with_one_name_are_an_error(
        make_site: Callable[..., Any]) -> None:
    site = make_site({
        "components/Card.js": "'use client';\nexport default (el) => {};\n",
        "components/Card.py": "def Card() -> str:\n    return 'from Python'\n",
        "pages/x.html": "{{ Card() }}\n",
    })
    with pytest.raises(IslandgenError, match="two components are named 'Card'"):
        site.build()


@pytest.mark.xfail(strict=True, reason=(
    "islandgen/client/graph.py ClientGraph.static_deps follows only 'static' edges, so the "
    "server function stub an island imports statically (_islands/server-<module>.<hash>.js) "
    "and the client it imports are missing from the manifest's deps, from the page's "
    "modulepreload links and from the first-load JS of the build report"))
def test_a_server_function_stub_is_a_preloaded_dependency(make_site: Callable[..., Any]) -> None:
    site = make_site({
        "server/hello.py": '"use server"\n\n\nasync def ping() -> str:\n    return "pong"\n',
        "components/Ping.js": "'use client';\nimport { ping } from '../server/hello.py';\n"
                              "export default async function Ping(el) {}\n",
        "pages/x.html": '{{ Ping(client="load") }}\n',
    })
    site.build()
    manifest = json.loads((site.out / "_islands" / "manifest.json").read_text(encoding="utf-8"))
    assert any("/server-hello." in url for url in manifest["Ping"]["deps"])
    assert "/_islands/server-hello." in site.file("/x/").read_text(encoding="utf-8")


@pytest.mark.xfail(strict=True, reason=(
    "issue 3 asks for an island runtime of at most 1 KB min+gzip; "
    "islandgen/client/runtime/island.js builds to about 1.6 KB"))
def test_the_runtime_is_at_most_one_kilobyte_gzipped(built: Callable[..., Path]) -> None:
    (runtime,) = (built("hydration") / "_islands").glob("island.*.js")
    assert len(gzip.compress(runtime.read_bytes(), 9)) <= 1024
