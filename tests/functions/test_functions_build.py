"""`islandgen build` with server functions: the bundle, the stubs, the template global, and every error.

Small sites are written into tmp_path (the `make_site` fixture of tests/conftest.py)
and built in-process; errors are asserted on the exact location and text a user sees.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fntools import Built, copy_site

from islandgen import BuildOptions, build
from islandgen.errors import ComponentError, ConfigError, IslandgenError, TemplateError
from islandgen.functions.registry import function_id
from islandgen.pipeline import BuildSession

LIKES = '''\
"use server"
from islandgen.functions import request


def like_post(post_id: str) -> int:
    return len(post_id)  # LIKES-BODY-MARKER


async def unlike_post(post_id: str, times: int = 1) -> None:
    return None


def _private() -> None:
    pass
'''
PAGE = """\
<!doctype html><html><head><title>t</title></head><body>
{% block body %}{% endblock %}
</body></html>
"""
LIKE_JS = """\
'use client';
import { like_post } from '../server/likes.py';
export default function Like(el, props) {}
"""
LIKE_ID = function_id("server/likes.py", "like_post")


def site_files(**extra: str) -> dict[str, str]:
    return {"server/likes.py": LIKES, "layouts/bare.html": PAGE, **extra}


def page(body: str) -> str:
    return '{% extends "layouts/bare.html" %}{% block body %}' + body + "{% endblock %}\n"


def error_of(make_site: Callable[..., Any], files: dict[str, str]) -> IslandgenError:
    site = make_site(files)
    with pytest.raises(IslandgenError) as caught:
        site.build()
    return caught.value


def where(error: IslandgenError) -> str:
    assert error.path is not None
    return f"{error.path.name}:{error.line}"


# -- the bundle -------------------------------------------------------------------------


def test_the_bundle_holds_the_server_code_manifest_app_and_runtime(make_site: Callable[..., Any]) -> None:
    site = make_site(site_files(**{"server/requirements.txt": "requests==2.32.3\n",
                                   "server/helpers.py": "X = 1\n", "server/data/words.txt": "w\n"}))
    site.build()
    bundle = site.root / "dist-functions"
    files = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    assert files == [
        "app.py", "islandgen/__init__.py", "islandgen/functions/__init__.py",
        "islandgen/functions/adapters.py", "islandgen/functions/dispatch.py",
        "islandgen/functions/forms.py", "islandgen/functions/registry.py",
        "islandgen/functions/request.py", "islandgen/functions/schema.py", "islandgen/functions/wire.py",
        "manifest.json", "requirements.txt", "server/data/words.txt", "server/helpers.py",
        "server/likes.py", "server/requirements.txt",
    ]
    assert (bundle / "requirements.txt").read_text() == "requests==2.32.3\n"
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["functions"][LIKE_ID] == {
        "module": "server.likes", "file": "server/likes.py", "name": "like_post", "async": False,
        "params": [{"name": "post_id", "required": True, "schema": {"type": "string"}}],
        "returns": {"type": "integer"},
    }
    unlike = manifest["functions"][function_id("server/likes.py", "unlike_post")]
    assert unlike["async"] is True
    assert unlike["params"][1] == {"name": "times", "required": False, "schema": {"type": "integer"}}
    assert len(manifest["functions"]) == 2  # _private and the imported `request` are not exported


def test_ids_are_stable_hashes_of_module_path_and_name() -> None:
    assert re.fullmatch(r"[0-9a-f]{16}", LIKE_ID)
    assert function_id("server/likes.py", "like_post") == LIKE_ID
    assert function_id("server/other.py", "like_post") != LIKE_ID


def test_no_server_source_reaches_the_static_output(sample: Built) -> None:
    sources = sorted((sample.site / "server").rglob("*.py"))
    assert [p.name for p in sources] == ["db.py", "guestbook.py", "likes.py"]
    published = [p for p in sample.dist.rglob("*") if p.is_file()]
    assert not [p for p in published if p.suffix == ".py"]
    markers = {b"use server", b"INSERT INTO", b"CREATE TABLE", b"HARBOUR_DB", b"def like_post",
               b"import sqlite3", b"RETURNING"}
    for source in sources:  # and every long enough line of every server module
        markers |= {line.strip() for line in source.read_bytes().splitlines() if len(line.strip()) > 24}
    for path in published:
        data = path.read_bytes()
        leaked = sorted(marker for marker in markers if marker in data)
        assert not leaked, f"{path.relative_to(sample.dist)} contains server code: {leaked[:3]}"
    for source in sources:  # the bundle, on the other hand, has them as written
        assert (sample.bundle / source.relative_to(sample.site)).read_bytes() == source.read_bytes()


def test_two_builds_give_the_same_bundle_and_zip(tmp_path: Path) -> None:
    kitchen = Path(__file__).parent / "sites" / "kitchen"
    archives = []
    for name in ("one", "two"):
        site = copy_site(kitchen, tmp_path / name)
        build(site, BuildOptions(functions_zip=True))
        archives.append((site / "dist-functions.zip").read_bytes())
        with zipfile.ZipFile(site / "dist-functions.zip") as archive:
            assert "app.py" in archive.namelist() and "manifest.json" in archive.namelist()
    assert archives[0] == archives[1]


@pytest.mark.parametrize("output", ["dist/functions", "dist", "."])
def test_a_bundle_folder_overlapping_dist_is_an_error(make_site: Callable[..., Any], tmp_path: Path,
                                                      output: str) -> None:
    site = make_site(site_files(**{"islandgen.yaml": f"theme: plain\nfunctions:\n  output: '{output}'\n"}),
                     name=f"site-{len(output)}")
    with pytest.raises(ConfigError, match="overlaps the static output"):
        site.build()
    assert not site.out.exists()


def test_an_edited_server_module_reaches_the_next_build(make_site: Callable[..., Any]) -> None:
    site = make_site(site_files())
    site.build()
    (site.root / "server" / "likes.py").write_text(LIKES + "\n\ndef share(post_id: str) -> None:\n    pass\n")
    site.build()
    manifest = json.loads((site.root / "dist-functions" / "manifest.json").read_text())
    assert function_id("server/likes.py", "share") in manifest["functions"]


def test_the_cli_writes_the_zip(make_site: Callable[..., Any], run_cli: Callable[..., Any]) -> None:
    site = make_site(site_files())
    result = run_cli("build", str(site.root), "--zip", "--quiet")
    assert result.code == 0, result.err
    with zipfile.ZipFile(site.root / "dist-functions.zip") as archive:
        assert "server/likes.py" in archive.namelist()


def test_a_site_without_server_functions_gets_no_bundle(make_site: Callable[..., Any]) -> None:
    site = make_site({"server/helpers.py": "X = 1\n", "pages/index.html": "<p>hi</p>\n"})
    site.build()
    assert not (site.root / "dist-functions").exists()


def test_the_session_offers_the_dev_server_a_dispatcher(make_site: Callable[..., Any]) -> None:
    site = make_site(site_files())
    session = BuildSession(site.root, BuildOptions(write_functions=False))
    session.build()
    assert not (site.root / "dist-functions").exists()
    assert session.functions is not None
    dispatcher = session.functions.dispatcher()
    body = b'{"v":1,"args":["abc"]}'
    response = dispatcher.handle("POST", f"/_fn/{LIKE_ID}", {"content-type": "application/json",
                                                            "x-islandgen-action": "1"}, body)
    assert response.body == b'{"ok":true,"v":1,"refs":[],"value":3}'


# -- templates ------------------------------------------------------------------------


def test_a_form_posts_to_the_endpoint_with_bound_hidden_fields(make_site: Callable[..., Any]) -> None:
    site = make_site(site_files(**{"pages/index.html": page(
        '<form method="post" action="{{ server.likes.unlike_post }}">'
        '{{ server.likes.unlike_post.bind(post_id="a&b", times=2).hidden_fields() }}</form>')}))
    site.build()
    form = site.page("/").form
    assert form["action"] == f"/_fn/{function_id('server/likes.py', 'unlike_post')}"
    assert [(i["name"], i["value"]) for i in form.find_all("input")] == [("post_id", "a&b"), ("times", "2")]


def test_endpoints_follow_the_base_path_and_the_functions_origin(make_site: Callable[..., Any]) -> None:
    body = page("<a href='{{ server.likes.like_post }}'>x</a>")
    site = make_site(site_files(**{"islandgen.yaml": "theme: plain\nbase_path: /harbour/\n",
                                   "pages/index.html": body}), name="below")
    site.build()
    assert site.page("/").a["href"] == f"/harbour/_fn/{LIKE_ID}"
    config = "theme: plain\nfunctions:\n  origin: https://fn.example/\n  allowed_origins: [https://site.example]\n"
    other = make_site(site_files(**{"islandgen.yaml": config, "pages/index.html": body}), name="origin")
    other.build()
    assert other.page("/").a["href"] == f"https://fn.example/_fn/{LIKE_ID}"
    settings = json.loads((other.root / "dist-functions" / "manifest.json").read_text())["settings"]
    assert settings == {"allowed_origins": ["https://site.example"], "cors": True, "max_body": 1048576,
                        "site_url": ""}


@pytest.mark.parametrize(("body", "message", "hint"), [
    ("{{ server.likez.like_post }}", "no server module server.likez", "did you mean 'likes'?"),
    ("{{ server.likes.like_pots }}", "server/likes.py has no server function 'like_pots'",
     "did you mean 'like_post'?"),
    ("{{ server.likes.like_post.bind(postid=1) }}", "like_post() has no parameter 'postid'",
     "did you mean 'post_id'?"),
    ("{{ server.likes.like_post.bind(post_id={'a': 1}).hidden_fields() }}",
     "bound argument 'post_id' of like_post() cannot go in a form field (dict)", "bind text"),
], ids=["module", "function", "parameter", "unformable"])
def test_template_mistakes_stop_the_build_at_the_line(make_site: Callable[..., Any], body: str,
                                                     message: str, hint: str) -> None:
    error = error_of(make_site, site_files(**{"pages/index.html": "{# 1 #}\n{# 2 #}\n" + page(body)}))
    assert isinstance(error, TemplateError)
    assert where(error) == "index.html:3"
    assert error.message == message
    assert hint in (error.hint or "")


def test_server_in_a_site_without_functions_says_how_to_add_them(make_site: Callable[..., Any]) -> None:
    error = error_of(make_site, {"layouts/bare.html": PAGE, "pages/index.html": page("{{ server.likes }}")})
    assert 'add a module under server/ whose first statement is "use server"' in error.message


# -- client imports ------------------------------------------------------------------------


def test_a_client_import_becomes_a_stub_that_posts_to_the_endpoint(make_site: Callable[..., Any]) -> None:
    site = make_site(site_files(**{
        "components/Like.js": LIKE_JS,
        "pages/index.html": page("{{ Like(fn=server.likes.like_post.bind(post_id='x'), client='load') }}"),
    }))
    site.build()
    islands = site.out / "_islands"
    [like] = islands.glob("Like.*.js")
    [stub] = islands.glob("server-likes.*.js")
    assert f"from'./{stub.name}'" in like.read_text().replace(" ", "").replace('"', "'")
    text = stub.read_text()
    [client] = islands.glob("client.*.js")
    assert f"import {{ serverFunction as f }} from './{client.name}';" in text
    assert f'f("{LIKE_ID}", "/_fn/{LIKE_ID}")' in text
    assert "export { f0 as like_post, f1 as unlike_post };" in text
    payload = json.loads(site.page("/").find("script", id="ig-props").string)
    assert payload["refs"] == [{"id": LIKE_ID, "url": f"/_fn/{LIKE_ID}", "bound": {"post_id": "x"}}]


@pytest.mark.parametrize(("js", "line", "message", "hint"), [
    ("import { like_post,\n  like_pots } from '../server/likes.py';", 3,
     "server/likes.py exports no server function 'like_pots'", "did you mean 'like_post'?"),
    ("import likes from '../server/likes.py';", 2, "server/likes.py has no default export",
     "it exports: like_post, unlike_post"),
    ("export { _private } from '../server/likes.py';", 2,
     "server/likes.py exports no server function '_private'", "names starting with _ stay private"),
    ("import { X } from '../server/helpers.py';", 2, "'../server/helpers.py' is not a server module",
     'first statement is "use server"'),
], ids=["misspelt", "default", "private", "helper-module"])
def test_bad_client_imports_are_errors_at_the_importing_line(make_site: Callable[..., Any], js: str,
                                                             line: int, message: str, hint: str) -> None:
    error = error_of(make_site, site_files(**{
        "server/helpers.py": "X = 1\n",
        "components/Like.js": f"'use client';\n{js}\nexport default function Like() {{}}\n",
        "pages/index.html": page("{{ Like(client='load') }}"),
    }))
    assert isinstance(error, ComponentError)
    assert where(error) == f"Like.js:{line}"
    assert error.message == message
    assert hint in (error.hint or "")


def test_namespace_and_dynamic_imports_are_allowed(make_site: Callable[..., Any]) -> None:
    js = ("'use client';\nimport * as likes from '../server/likes.py';\n"
          "export default async function Like() { await import('../server/likes.py'); }\n")
    site = make_site(site_files(**{"components/Like.js": js, "pages/index.html": page("{{ Like() }}")}))
    site.build()
    assert len(list((site.out / "_islands").glob("server-likes.*.js"))) == 1


# -- server modules -------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "line", "message", "hint"), [
    ('"use server"\n\ndef f(x: complex) -> None: ...\n', 3,
     "server function f: parameter 'x': islandgen cannot check arguments of type complex", "annotate it"),
    ('"use server"\n\ndef f(x) -> None: ...\n', 3, "server function f: parameter 'x' has no annotation",
     "annotate it"),
    ('"use server"\n\ndef f(*names: str) -> None: ...\n', 3,
     "server function f: parameter 'names' must be an ordinary named parameter", "annotate it"),
    ('"use server"\n\ndef f(x: "Missing") -> None: ...\n', 3,
     "server function f: its annotations cannot be resolved", "names used in its annotations"),
    ('"""Likes."""\n"use server"\n', 2, '"use server" must be the first statement of the module',
     "move it above"),
    ('"use server"\ndef f(:\n', 2, "syntax error", None),
    ('"use server"\nimport json\n\nraise ValueError("no config")\n', 4,
     "importing the server modules failed: ValueError: no config", "raised while it was imported"),
    ('"use server"\nimport not_installed_anywhere\n', 2,
     "importing the server modules failed: ModuleNotFoundError", "install their requirements"),
], ids=["unsupported-type", "unannotated", "star-args", "unresolvable", "late-directive", "syntax",
        "raises-on-import", "missing-requirement"])
def test_server_module_mistakes_stop_the_build_at_the_line(make_site: Callable[..., Any], source: str,
                                                           line: int, message: str,
                                                           hint: str | None) -> None:
    error = error_of(make_site, {"server/bad.py": source})
    assert where(error) == f"bad.py:{line}"
    assert error.message.startswith(message)
    if hint is not None:
        assert hint in (error.hint or "")


def test_a_changed_stub_renames_the_chunks_that_import_it(make_site: Callable[..., Any]) -> None:
    """Chunks are cached forever by name, so a chunk whose imports changed must get a new name."""
    site = make_site(site_files(**{"components/Like.js": LIKE_JS,
                                   "pages/index.html": page("{{ Like(client='load') }}")}))
    site.build()
    [before] = (site.out / "_islands").glob("Like.*.js")
    (site.root / "server" / "likes.py").write_text(LIKES + "\n\ndef share(post_id: str) -> None:\n    pass\n")
    site.build()
    [after] = (site.out / "_islands").glob("Like.*.js")
    assert after.name != before.name
