"""The exported bundle under real servers: uvicorn (ASGI), wsgiref (WSGI) and AWS Lambda events.

Every server runs the bundle in a child process started with `python -S`, so
islandgen is not importable there: what passes here runs on a host that has
only the bundle and its requirements. Lambda events are the real fixtures in
shared/fixtures/lambda-events/, with the path, method, headers and body
swapped for each call.
"""

from __future__ import annotations

import base64
import copy
import json
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fntools import (
    FORM,
    JSON_CALL,
    LAMBDA_EVENTS,
    Built,
    BundleServer,
    Reply,
    multipart,
    request,
    run_isolated,
)

from islandgen.functions import wire
from islandgen.functions.registry import function_id

KINDS = ["asgi", "wsgi"]


def fn(name: str, module: str = "server/api.py") -> str:
    return f"/_fn/{function_id(module, name)}"


def test_the_bundle_imports_no_installed_islandgen(kitchen: Built) -> None:
    script = ("import json, app, islandgen, sys; print(json.dumps("
              "[islandgen.__file__, 'yaml' in sys.modules, 'jinja2' in sys.modules]))")
    found = run_isolated(kitchen.bundle, script)
    assert found == [str(kitchen.bundle / "islandgen" / "__init__.py"), False, False]


# (what, method, function, headers, body, status, check on the reply or None)
Case = tuple[str, str, str, dict[str, str], bytes, int, Callable[[Reply], Any] | None]


def _cases(port: int) -> list[Case]:
    own = {"origin": f"http://127.0.0.1:{port}"}
    photo = ("p.bin", "application/octet-stream", b"\x00\r\n\xff")
    kind, upload = multipart([("title", "t"), ("photo", photo)])
    return [
        ("json call", "POST", fn("add"), {**JSON_CALL, **own}, wire.encode_call([1, 2]), 200,
         lambda r: wire.decode_reply(r.body) == 3.0),
        ("async function", "POST", fn("slow_double"), JSON_CALL, wire.encode_call([4]), 200,
         lambda r: wire.decode_reply(r.body) == 8),
        ("request api", "POST", fn("whoami"), {**JSON_CALL, "cookie": "k=v", "user-agent": "ua/1"},
         b'{"v":1}', 201, lambda r: wire.decode_reply(r.body) == {"agent": "ua/1", "cookies": {"k": "v"},
                                                      "client": "127.0.0.1", "method": "POST"}
         and r.cookies[0].startswith("seen=")),
        ("form post", "POST", fn("form_fields"), {**FORM, **own, "referer": f"http://127.0.0.1:{port}/x/"},
         b"name=A&age=3&tags=t", 303, lambda r: r.headers["location"] == f"http://127.0.0.1:{port}/x/"),
        ("multipart upload", "POST", fn("upload"), {"content-type": kind, "x-islandgen-action": "1"}, upload,
         200, lambda r: wire.decode_reply(r.body)["data"] == b"\x00\r\n\xff"),
        ("preflight", "OPTIONS", fn("add"), {}, b"", 204, lambda r: r.headers["allow"] == "POST, OPTIONS"),
        ("bad argument", "POST", fn("add"), JSON_CALL, wire.encode_call(["one"]), 400,
         lambda r: r.json()["error"]["message"] == "a: expected a whole number, got the text 'one'"),
        ("cross-site", "POST", fn("add"), {**JSON_CALL, "origin": "https://evil.example"},
         wire.encode_call([1]), 403, None),
        ("no custom header", "POST", fn("add"), {"content-type": "application/json"}, wire.encode_call([1]),
         403, None),
        ("unknown id", "POST", "/_fn/ffffffffffffffff", JSON_CALL, b"{}", 404, None),
        ("wrong method", "GET", fn("add"), {}, b"", 405, lambda r: r.headers["allow"] == "POST, OPTIONS"),
        ("too large", "POST", fn("echo"), JSON_CALL, wire.encode_call(["x" * 5000]), 413, None),
        ("wrong type", "POST", fn("add"), {**JSON_CALL, "content-type": "text/plain"}, b"{}", 415, None),
        ("exception", "POST", fn("boom"), JSON_CALL, wire.encode_call([1]), 500,
         lambda r: r.json() == {"ok": False, "error": {"code": "internal",
                                                       "message": "the server function failed"}}),
        ("refusal", "POST", fn("refuse"), JSON_CALL, wire.encode_call(["no"]), 409,
         lambda r: r.json()["error"] == {"code": "conflict", "message": "refused: no"}),
    ]


@pytest.mark.parametrize("kind", KINDS)
def test_every_answer_under_a_real_server(kitchen: Built, start_bundle: Callable[..., BundleServer],
                                          kind: str) -> None:
    server = start_bundle(kitchen.bundle, kind)
    for what, method, path, headers, body, status, check in _cases(server.port):
        reply = request(server.port, method, path, body, headers)
        assert reply.status == status, f"{what}: {reply.status} {reply.body[:200]!r}"
        assert b"Traceback" not in reply.body and b"kitchen-secret" not in reply.body, what
        if check is not None:
            assert check(reply), f"{what}: {reply.headers} {reply.body[:300]!r}"
    log = server.output()
    assert "server function server.api:boom failed" in log
    assert "Traceback" in log and "ZeroDivisionError" in log  # the traceback goes to the server log


# -- AWS Lambda ----------------------------------------------------------------------------

LAMBDA_SCRIPT = """
import json, sys
from app import lambda_handler
events = json.load(sys.stdin)
print(json.dumps([lambda_handler(event, None) for event in events]))
"""


def _fixture(name: str) -> dict[str, Any]:
    return dict(json.loads((LAMBDA_EVENTS / name).read_text()))


def _event(name: str, method: str, path: str, headers: dict[str, str], body: bytes,
           *, base64_body: bool = False, cookies: list[str] | None = None) -> dict[str, Any]:
    """A real fixture event with this call's method, path, headers and body."""
    event = copy.deepcopy(_fixture(name))
    text = base64.b64encode(body).decode() if base64_body else body.decode()
    if event.get("version") == "2.0":
        event["rawPath"] = path
        event["requestContext"]["http"]["method"] = method
        event["requestContext"]["http"]["path"] = path
        event["headers"] = {**_without(event["headers"], headers), **headers}
        if cookies is not None:
            event["cookies"] = cookies
    else:
        event["path"] = path
        event["httpMethod"] = method
        event["headers"] = {**_without(event["headers"], headers), **headers}
        event["multiValueHeaders"] = {k: [v] for k, v in event["headers"].items()}
        if cookies is not None:
            event["multiValueHeaders"]["Cookie"] = ["; ".join(cookies)]
    event["body"] = text
    event["isBase64Encoded"] = base64_body
    return event


def _without(recorded: dict[str, str], replaced: dict[str, str]) -> dict[str, str]:
    """The recorded headers minus those this call sets (names compare without case)."""
    names = {name.lower() for name in (*replaced, "content-type")}
    return {k: v for k, v in recorded.items() if k.lower() not in names}


V1 = ["apigw-request.json", "apigw-restapi-openapi-request.json"]
V2 = ["apigw-v2-request-iam.json", "apigw-v2-request-jwt-authorizer.json",
      "apigw-v2-request-lambda-authorizer.json", "apigw-v2-request-no-authorizer.json",
      "lambda-urls-request.json",
      "lambdaurl-captured/function-url-domain-only-request-with-base64-encoded-body.json",
      "lambdaurl-captured/function-url-request-with-headers-and-cookies-and-text-body.json"]


def _run_lambda(bundle: Path, events: list[dict[str, Any]], **env: str) -> list[dict[str, Any]]:
    return list(run_isolated(bundle, LAMBDA_SCRIPT, json.dumps(events), env=env))


@pytest.mark.parametrize("fixture", V1 + V2)
def test_lambda_events_of_every_kind(kitchen: Built, fixture: str) -> None:
    calls = [
        _event(fixture, "POST", fn("add"), {"Content-Type": "application/json", "X-Islandgen-Action": "1"},
               wire.encode_call([2, 3])),
        _event(fixture, "POST", fn("add"), {"content-type": "application/json", "x-islandgen-action": "1"},
               wire.encode_call([1]), base64_body=True),
        _event(fixture, "POST", fn("whoami"), {"content-type": "application/json", "x-islandgen-action": "1",
                                               "User-Agent": "lambda-test"}, b'{"v":1}',
               cookies=["a=1", "b=2"]),
        _event(fixture, "POST", fn("form_fields"), {"Content-Type": "application/x-www-form-urlencoded",
                                                    "Referer": "https://site.example/form/",
                                                    "Origin": "https://site.example"},
               b"name=A&age=2"),
        _event(fixture, "GET", fn("add"), {}, b""),
        _event(fixture, "POST", fn("boom"), {"content-type": "application/json", "x-islandgen-action": "1"},
               wire.encode_call([1])),
        _fixture(fixture),  # the event exactly as recorded: not a function path
    ]
    add, add64, whoami, form, get, boom, recorded = _run_lambda(kitchen.bundle, calls)
    v2 = fixture in V2
    assert add["statusCode"] == 200 and add["isBase64Encoded"] is False
    assert wire.decode_reply(add["body"].encode()) == 5.0
    assert wire.decode_reply(add64["body"].encode()) == 1.5
    assert whoami["statusCode"] == 201
    who = wire.decode_reply(whoami["body"].encode())
    assert who["cookies"] == {"a": "1", "b": "2"} and who["agent"] == "lambda-test"
    assert who["client"]  # the source IP the event carries
    if v2:
        assert whoami["cookies"][0].startswith("seen=")
        assert "set-cookie" not in whoami["headers"]
        assert form["headers"]["location"] == "https://site.example/form/"
    else:
        assert whoami["multiValueHeaders"]["Set-Cookie"][0].startswith("seen=")
        assert form["multiValueHeaders"]["Location"] == ["https://site.example/form/"]
    assert form["statusCode"] == 303
    assert get["statusCode"] == 405
    assert boom["statusCode"] == 500 and "Traceback" not in boom["body"]
    assert recorded["statusCode"] == 404


# -- concurrency with the sample's SQLite functions -------------------------------------------


def _hammer(port: int, calls: list[tuple[str, bytes, dict[str, str]]], threads: int = 20) -> list[Reply]:
    """Send every call from `threads` threads at once; the replies in call order."""
    replies: list[Reply | None] = [None] * len(calls)
    start = threading.Barrier(threads)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            start.wait()
            for index in range(offset, len(calls), threads):
                path, body, headers = calls[index]
                replies[index] = request(port, "POST", path, body, headers)
        except BaseException as error:  # reported below, on the test's thread
            errors.append(error)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors
    assert all(reply is not None for reply in replies)
    return [reply for reply in replies if reply is not None]


@pytest.mark.parametrize("kind", KINDS)
def test_200_concurrent_calls_lose_no_writes(sample: Built, start_bundle: Callable[..., BundleServer],
                                             tmp_path: Path, kind: str) -> None:
    database = tmp_path / f"{kind}.sqlite3"
    server = start_bundle(sample.bundle, kind, HARBOUR_DB=str(database))
    like = f"/_fn/{function_id('server/likes.py', 'like_post')}"
    sign = f"/_fn/{function_id('server/guestbook.py', 'sign')}"
    origin = {"origin": f"http://127.0.0.1:{server.port}", "referer": f"http://127.0.0.1:{server.port}/g/"}
    calls = [(like, wire.encode_call(["post-a"]), JSON_CALL) for _ in range(200)]
    replies = _hammer(server.port, calls)
    assert [r.status for r in replies] == [200] * 200
    assert sorted(wire.decode_reply(r.body) for r in replies) == list(range(1, 201))
    signs = [(sign, f"name=Guest+{n}&message=Hello+{n}".encode(), {**FORM, **origin}) for n in range(100)]
    signs += [(sign, wire.encode_call([f"Caller {n}", f"Hi {n}"]), JSON_CALL) for n in range(100)]
    replies = _hammer(server.port, signs)
    assert [r.status for r in replies] == [303] * 100 + [200] * 100
    assert sorted(wire.decode_reply(r.body) for r in replies[100:])[-1] <= 200
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count FROM likes WHERE post_id = 'post-a'").fetchone() == (200,)
        names = {row[0] for row in db.execute("SELECT name FROM guestbook")}
        ids = [row[0] for row in db.execute("SELECT id FROM guestbook ORDER BY id")]
    assert names == {f"Guest {n}" for n in range(100)} | {f"Caller {n}" for n in range(100)}
    assert ids == list(range(1, 201))
    count = request(server.port, "POST", f"/_fn/{function_id('server/likes.py', 'count_likes')}",
                    wire.encode_call(["post-a"]), JSON_CALL)
    assert wire.decode_reply(count.body) == 200


def test_the_sample_under_lambda_keeps_its_data_outside_the_bundle(sample: Built, tmp_path: Path) -> None:
    database = tmp_path / "lambda.sqlite3"
    like = f"/_fn/{function_id('server/likes.py', 'like_post')}"
    headers = {"content-type": "application/json", "x-islandgen-action": "1"}
    events = [_event("lambda-urls-request.json", "POST", like, headers, wire.encode_call(["p"]))] * 3
    replies = _run_lambda(sample.bundle, events, HARBOUR_DB=str(database))
    assert [wire.decode_reply(r["body"].encode()) for r in replies] == [1, 2, 3]
    assert database.is_file()
    assert not list(sample.bundle.rglob("*.sqlite3"))
