"""The dispatcher in-process (as `islandgen serve` runs it): every answer it can give, and why.

The functions are the kitchen site's (tests/functions/sites/kitchen/server/api.py),
loaded from its built bundle exactly as the bundle's app.py loads them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from fntools import FORM, JSON_CALL, Built, multipart

from islandgen.functions import Dispatcher, Response, Settings, wire

HOST = {"host": "site.example"}


@pytest.fixture(scope="module")
def dispatcher(kitchen: Built) -> Dispatcher:
    return kitchen.dispatcher()


@pytest.fixture(scope="module")
def path(dispatcher: Dispatcher) -> Callable[[str], str]:
    """path("add") -> /_fn/<id of api.add>."""
    ids = {f.name: f.id for f in dispatcher.functions.values()}
    return lambda name: f"/_fn/{ids[name]}"


Call = Callable[..., Response]


@pytest.fixture
def call(dispatcher: Dispatcher, path: Callable[[str], str]) -> Call:
    """call("add", 1, b=2, _headers={...}) -> the Response of a JSON call."""

    def run(name: str, *args: Any, _headers: Mapping[str, str] | None = None, **kwargs: Any) -> Response:
        headers = {**JSON_CALL, **HOST, **(_headers or {})}
        return dispatcher.handle("POST", path(name), headers, wire.encode_call(args, kwargs))

    return run


def _value(response: Response) -> Any:
    assert response.status in (200, 201), response.body
    return wire.decode_reply(response.body)


def _error(response: Response) -> dict[str, str]:
    payload = json.loads(response.body)
    assert payload["ok"] is False
    return dict(payload["error"])


def test_the_manifest_is_the_allow_list(dispatcher: Dispatcher) -> None:
    names = sorted(f.name for f in dispatcher.functions.values())
    assert names == ["add", "boom", "echo", "form_fields", "last_form", "refuse", "shapes",
                     "slow_double", "unsendable", "upload", "whoami"]


def test_a_json_call_answers_with_the_encoded_value(call: Call) -> None:
    value = {"set": {1, 2}, "when": dt.date(2024, 5, 1), "big": 2**70, "bytes": b"\x00"}
    response = call("echo", value)
    assert response.status == 200
    assert response.header("content-type") == "application/json; charset=utf-8"
    assert response.header("cache-control") == "no-store"
    assert _value(response) == value


def test_positional_and_named_arguments_bind_like_python(call: Call) -> None:
    assert _value(call("add", 1)) == 1.5
    assert _value(call("add", 1, 2)) == 3.0
    assert _value(call("add", b=2, a=1)) == 3.0


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    ((), {}, "a: missing"),
    ((1, 2, 3), {}, "add takes 2 arguments, got 3"),
    ((1,), {"c": 1}, "c: add has no such parameter"),
    ((1,), {"a": 1}, "a: given twice"),
    (("1",), {}, "a: expected a whole number, got the text '1'"),
    ((1, "x"), {}, "b: expected a number, got the text 'x'"),
], ids=["missing", "too-many", "unknown", "twice", "wrong-type", "second-wrong-type"])
def test_bad_arguments_are_400_naming_the_parameter(call: Call, args: tuple[Any, ...],
                                                     kwargs: dict[str, Any], message: str) -> None:
    response = call("add", *args, **kwargs)
    assert response.status == 400
    assert _error(response) == {"code": "invalid_argument", "message": message}


def test_nested_arguments_become_the_annotated_types(call: Call) -> None:
    result = _value(call("shapes", {"x": 1, "tags": ["a"]}, {"mode": "fast"}, "blue",
                         names=["n"], scores={"a": 1}, when="2024-01-02", pair=[1, "x"], ids=[3, 3]))
    assert result == {"point": {"x": 1, "y": 0, "tags": ["a"]}, "options": {"mode": "fast"},
                      "color": "blue", "maybe": None, "names": ["n"], "scores": {"a": 1.0},
                      "when": dt.date(2024, 1, 2), "pair": [1, "x"], "ids": {3}}


@pytest.mark.parametrize(("args", "message"), [
    (({"x": "1"}, {"mode": "fast"}, "red"), "point.x: expected a whole number"),
    (({"x": 1, "z": 0}, {"mode": "fast"}, "red"), "point: unexpected key 'z' for Point"),
    (({"x": 1}, {"mode": "warp"}, "red"), "options.mode: expected one of 'fast', 'slow'"),
    (({"x": 1}, {"mode": "fast"}, "green"), "color: expected one of 'red', 'blue'"),
], ids=["dataclass-field", "unknown-key", "typeddict-literal", "enum"])
def test_nested_mismatches_name_the_path(call: Call, args: tuple[Any, ...], message: str) -> None:
    response = call("shapes", *args)
    assert response.status == 400
    assert _error(response)["message"].startswith(message)


def test_async_functions_run_from_threads_and_from_an_event_loop(
        dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    body = wire.encode_call([21])
    headers = {**JSON_CALL, **HOST}
    assert _value(dispatcher.handle("POST", path("slow_double"), headers, body)) == 42
    response = asyncio.run(dispatcher.handle_async("POST", path("slow_double"), headers, body))
    assert _value(response) == 42
    response = asyncio.run(dispatcher.handle_async("POST", path("add"), headers, wire.encode_call([1])))
    assert _value(response) == 1.5


def test_the_request_api(call: Call) -> None:
    response = call("whoami", _headers={"user-agent": "tester/1", "cookie": "a=1; b=two"})
    assert response.status == 201
    # the stdlib's cookie quoting: ';' becomes \073 inside the quotes
    cookie = 'seen="yes\\073 really"; HttpOnly; Max-Age=60; Path=/; SameSite=Lax'
    assert response.header("set-cookie") == cookie
    result = wire.decode_reply(response.body)
    assert result == {"agent": "tester/1", "cookies": {"a": "1", "b": "two"}, "client": None,
                      "method": "POST"}


def test_the_request_api_outside_a_call_says_so() -> None:
    from islandgen.functions import request

    with pytest.raises(RuntimeError, match="only available while a server function handles a call"):
        request.headers  # noqa: B018


def test_a_function_error_reaches_the_caller_as_written(call: Call) -> None:
    response = call("refuse", "because")
    assert response.status == 409
    assert _error(response) == {"code": "conflict", "message": "refused: because"}


def test_an_exception_is_a_generic_500_and_a_logged_traceback(
        call: Call, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="islandgen.functions"):
        response = call("boom", 1)
    assert response.status == 500
    assert _error(response) == {"code": "internal", "message": "the server function failed"}
    assert b"Traceback" not in response.body and b"kitchen-secret" not in response.body
    assert b"ZeroDivision" not in response.body
    [record] = caplog.records
    assert record.getMessage() == "server function server.api:boom failed"
    assert record.exc_info is not None and record.exc_info[0] is ZeroDivisionError


def test_a_result_that_cannot_be_sent_is_a_500(call: Call, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="islandgen.functions"):
        response = call("unsendable")
    assert response.status == 500
    assert "cannot be sent" in caplog.records[0].getMessage()


# -- refusals before the call -----------------------------------------------------------


def _send(dispatcher: Dispatcher, method: str, target: str, headers: Mapping[str, str],
          body: bytes = b"") -> Response:
    return dispatcher.handle(method, target, {**HOST, **headers}, body)


def test_unknown_ids_and_paths_are_404(dispatcher: Dispatcher) -> None:
    for target in ("/_fn/0000000000000000", "/_fn/", "/other", "/_fn/a/b"):
        response = _send(dispatcher, "POST", target, JSON_CALL, wire.encode_call())
        assert response.status == 404, target
        assert _error(response)["code"] == "not_found"


def test_methods_other_than_post_are_405(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    for method in ("GET", "PUT", "DELETE", "HEAD"):
        response = _send(dispatcher, method, path("add"), JSON_CALL)
        assert response.status == 405
        assert response.header("allow") == "POST, OPTIONS"


def test_other_content_types_are_415(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    for kind in ("text/plain", "application/xml", ""):
        headers = {**JSON_CALL, "content-type": kind}
        assert _send(dispatcher, "POST", path("add"), headers, b"{}").status == 415


def test_bodies_over_the_limit_are_413(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    limit = dispatcher.settings.max_body
    assert limit == 4096  # the kitchen site's functions.max_body
    big = wire.encode_call(["x" * limit])
    assert _send(dispatcher, "POST", path("echo"), JSON_CALL, big).status == 413
    declared = {**JSON_CALL, "content-length": str(limit + 1)}
    assert _send(dispatcher, "POST", path("echo"), declared, b"").status == 413
    small = wire.encode_call(["x" * (limit - 100)])
    assert _send(dispatcher, "POST", path("echo"), JSON_CALL, small).status == 200


@pytest.mark.parametrize(("headers", "code"), [
    ({"origin": "https://evil.example"}, "cross_site"),
    ({"origin": "null"}, "cross_site"),
    ({"origin": "http://site.example.evil.example"}, "cross_site"),
    ({"sec-fetch-site": "cross-site"}, "cross_site"),
    ({"x-islandgen-action": None}, "missing_header"),
], ids=["other-origin", "null-origin", "lookalike-origin", "sec-fetch-site", "no-custom-header"])
def test_cross_site_calls_are_403(dispatcher: Dispatcher, path: Callable[[str], str],
                                  headers: dict[str, str | None], code: str) -> None:
    sent = {k: v for k, v in {**JSON_CALL, **headers}.items() if v is not None}
    response = _send(dispatcher, "POST", path("add"), sent, wire.encode_call([1]))
    assert response.status == 403
    assert _error(response)["code"] == code


@pytest.mark.parametrize("origin", ["http://site.example", "https://site.example", "https://friend.example"])
def test_the_site_itself_and_allowed_origins_may_call(dispatcher: Dispatcher, path: Callable[[str], str],
                                                      origin: str) -> None:
    response = _send(dispatcher, "POST", path("add"), {**JSON_CALL, "origin": origin},
                     wire.encode_call([1]))
    assert response.status == 200
    assert response.header("access-control-allow-origin") is None  # same origin: no CORS


def test_a_separate_functions_origin_answers_cors_for_allowed_origins(dispatcher: Dispatcher,
                                                                      path: Callable[[str], str]) -> None:
    cors = Dispatcher(dispatcher.functions, Settings(allowed_origins=("https://site.example",), cors=True))
    headers = {"host": "fn.example", "origin": "https://site.example",
               "access-control-request-method": "POST",
               "access-control-request-headers": "content-type, x-islandgen-action"}
    preflight = cors.handle("OPTIONS", path("add"), headers, b"")
    assert preflight.status == 204
    assert preflight.header("access-control-allow-origin") == "https://site.example"
    assert preflight.header("access-control-allow-credentials") == "true"
    assert "x-islandgen-action" in (preflight.header("access-control-allow-headers") or "")
    response = cors.handle("POST", path("add"), {**headers, **JSON_CALL}, wire.encode_call([1]))
    assert response.status == 200
    assert response.header("access-control-allow-origin") == "https://site.example"
    assert response.header("vary") == "Origin"
    evil = cors.handle("OPTIONS", path("add"), {**headers, "origin": "https://evil.example"}, b"")
    assert evil.status == 403
    assert evil.header("access-control-allow-origin") is None


# -- forms ---------------------------------------------------------------------------


def _form(dispatcher: Dispatcher, target: str, body: bytes, **headers: str) -> Response:
    sent = {**FORM, "origin": "https://site.example", "referer": "https://site.example/signup/",
            **{k.replace("_", "-"): v for k, v in headers.items()}}
    return _send(dispatcher, "POST", target, sent, body)


def test_a_form_post_calls_by_field_name_and_goes_back_with_303(
        dispatcher: Dispatcher, path: Callable[[str], str], call: Call) -> None:
    body = b"name=Ada&age=36&subscribe=on&tags=a&tags=b&note=&level=b&ignored=1"
    response = _form(dispatcher, path("form_fields"), body)
    assert response.status == 303
    assert response.header("location") == "https://site.example/signup/"
    assert response.body == b""
    assert _value(call("last_form")) == {"name": "Ada", "age": 36, "subscribe": True, "tags": ["a", "b"],
                                         "note": None, "level": "b"}


def test_absent_checkboxes_are_false_and_absent_lists_empty(
        dispatcher: Dispatcher, path: Callable[[str], str], call: Call) -> None:
    assert _form(dispatcher, path("form_fields"), b"name=Bo&age=1").status == 303
    assert _value(call("last_form"))["subscribe"] is False
    assert _value(call("last_form"))["tags"] == []


@pytest.mark.parametrize(("next_field", "location"), [
    ("/thanks/", "https://site.example/thanks/"),
    ("done/#top", "https://site.example/signup/done/#top"),
    ("https://friend.example/x", "https://friend.example/x"),
    ("https://evil.example/", "https://site.example/signup/"),
    ("//evil.example/", "https://site.example/signup/"),
    ("/\\evil.example/", "https://site.example/signup/"),
    ("javascript:alert(1)", "https://site.example/signup/"),
    ("/caf\u00e9/", "https://site.example/caf%C3%A9/"),
], ids=["path", "relative", "allowed-origin", "other-origin", "scheme-relative", "backslash", "javascript",
        "non-ascii"])
def test_next_is_followed_only_within_the_site(dispatcher: Dispatcher, path: Callable[[str], str],
                                               next_field: str, location: str) -> None:
    from urllib.parse import urlencode

    body = urlencode({"name": "A", "age": "1", "_next": next_field}).encode()
    assert _form(dispatcher, path("form_fields"), body).header("location") == location


def test_a_cross_site_referer_is_not_followed(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    response = _form(dispatcher, path("form_fields"), b"name=A&age=1", referer="https://evil.example/")
    assert response.header("location") == "https://site.example/"  # the site's base_url


def test_a_refused_form_post_gets_a_page_not_json(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    response = _form(dispatcher, path("form_fields"), b"name=A&age=old")
    assert response.status == 400
    assert response.header("content-type") == "text/html; charset=utf-8"
    assert b"age: expected a whole number, got the text &#x27;old&#x27;" in response.body
    assert b'href="https://site.example/signup/"' in response.body
    cross = _form(dispatcher, path("form_fields"), b"name=A&age=1", origin="https://evil.example")
    assert cross.status == 403
    assert b"does not accept calls from that origin" in cross.body


def test_a_form_sent_by_script_gets_json(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    response = _form(dispatcher, path("add"), b"a=2&b=0.25", x_islandgen_action="1")
    assert response.status == 200
    assert wire.decode_reply(response.body) == 2.25


def test_multipart_forms_carry_files_byte_for_byte(dispatcher: Dispatcher,
                                                   path: Callable[[str], str]) -> None:
    data = bytes(range(256)) + b"\r\n--not-a-boundary\r\n\n\r"
    kind, body = multipart([("title", "Été"), ("photo", ("pic é.png", "image/png", data)),
                            ("extra", ("", "application/octet-stream", b""))])
    response = _form(dispatcher, path("upload"), body, content_type=kind, x_islandgen_action="1")
    assert wire.decode_reply(response.body) == {"title": "Été", "name": "pic é.png", "type": "image/png",
                                                "data": data, "extra": None}


def test_a_malformed_multipart_body_is_400(dispatcher: Dispatcher, path: Callable[[str], str]) -> None:
    response = _form(dispatcher, path("upload"), b"garbage",
                     content_type="multipart/form-data; boundary=x", x_islandgen_action="1")
    assert response.status == 400
    no_boundary = _form(dispatcher, path("upload"), b"", content_type="multipart/form-data",
                        x_islandgen_action="1")
    assert no_boundary.status == 400
