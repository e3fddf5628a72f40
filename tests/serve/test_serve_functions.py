"""Server functions under `islandgen serve`: called in-process, reloaded when their module changes.

The server runs in a subprocess, as in the other serve tests; calls are real
HTTP requests shaped as the islandgen stub sends them (JSON with the
`X-Islandgen-Action` header) or as a browser posts a plain form.
"""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from serving import SITE, Reply, Server, edit, poll, read_reply
from sitefiles import write_files

from islandgen.functions.registry import function_id
from islandgen.serve.httpd import Body

JSON_CALL = {"content-type": "application/json", "x-islandgen-action": "1"}
FORM = {"content-type": "application/x-www-form-urlencoded"}

HELLO = """
    "use server"
    from islandgen.functions import FunctionError, request


    def greet(name: str) -> str:
        return f"Hello, {name}!"


    def boom() -> str:
        raise RuntimeError("kaboom in boom")


    def leave() -> str:
        raise SystemExit(3)


    def refuse() -> str:
        raise FunctionError("not today", status=409, code="busy")


    def whoami(tag: str = "") -> dict[str, str]:
        request.set_cookie("first", "1")
        request.set_cookie("second", "2")
        return {"client": request.client or "", "query": request.query, "tag": tag,
                "cookie": request.cookies.get("flavour", "")}
    """

FUNCTION_SITE = {**SITE, "server/hello.py": HELLO}


def endpoint(name: str, base: str = "/") -> str:
    return f"{base.rstrip('/')}/_fn/{function_id('server/hello.py', name)}"


def call_body(*args: Any, **kwargs: Any) -> bytes:
    """The body the browser stub posts (plain JSON values need no refs)."""
    return json.dumps({"v": 1, "refs": [], "args": list(args), "kwargs": kwargs}).encode()


def origin(server: Server) -> str:
    parts = urlsplit(server.url)
    return f"{parts.scheme}://{parts.netloc}"


def call(server: Server, function: str, /, *args: Any, _base: str = "/",
         _headers: Mapping[str, str] | None = None, **kwargs: Any) -> Reply:
    """A JSON call as the islandgen stub makes it, from a page of the site."""
    headers = {**JSON_CALL, "origin": origin(server), **(_headers or {})}
    return server.raw(endpoint(function, _base), method="POST", headers=headers,
                      body=call_body(*args, **kwargs))


def value(reply: Reply) -> Any:
    assert reply.status == 200, (reply.status, reply.text)
    payload = json.loads(reply.body)
    assert payload["ok"] is True
    return payload["value"]


def error(reply: Reply) -> dict[str, str]:
    assert reply.headers["content-type"] == "application/json; charset=utf-8", reply.text
    payload = json.loads(reply.body)
    assert payload["ok"] is False
    return dict(payload["error"])


def returns(expected: Any) -> Callable[[Reply], bool]:
    return lambda reply: reply.status == 200 and json.loads(reply.body)["value"] == expected


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write_files(root, FUNCTION_SITE)
    return root


def test_a_json_call_runs_the_function_in_the_server(dev_server: Server, site: Path) -> None:
    reply = call(dev_server, "greet", "Ann")
    assert value(reply) == "Hello, Ann!"
    assert reply.headers["cache-control"] == "no-store"
    assert value(call(dev_server, "greet", name="Bo")) == "Hello, Bo!"
    # served from memory: neither dist/ nor a functions bundle is written anywhere
    assert not (site / "dist").exists()
    assert not [path for path in site.parent.rglob("*") if path.name.startswith("dist-functions")]


def test_an_edited_server_module_is_reloaded_in_process(dev_server: Server, site: Path) -> None:
    assert value(call(dev_server, "greet", "Ann")) == "Hello, Ann!"
    edit(site / "server/hello.py", 'f"Hello, {name}!"', 'f"Ahoy, {name}!"')
    poll(lambda: call(dev_server, "greet", "Ann"), returns("Ahoy, Ann!"))
    poll(lambda: dev_server.process.output,
         lambda out: "(server/hello.py changed), 5 server functions reloaded" in out)
    # a function added to the module is callable once the rebuild is done
    with (site / "server/hello.py").open("a", encoding="utf-8") as module:
        module.write("\n\ndef shout(word: str) -> str:\n    return word.upper()\n")
    assert poll(lambda: call(dev_server, "shout", "ahoy"), lambda r: r.status == 200).body
    assert value(call(dev_server, "shout", "ahoy")) == "AHOY"
    assert dev_server.process.proc.poll() is None  # the same process all along


def test_calls_during_edits_get_the_old_or_the_new_function(dev_server: Server, site: Path) -> None:
    answers: list[tuple[int, str]] = []
    stop = threading.Event()

    def keep_calling() -> None:
        while not stop.is_set():
            reply = call(dev_server, "greet", "Ann")
            answers.append((reply.status, reply.text))

    caller = threading.Thread(target=keep_calling)
    caller.start()
    try:
        edit(site / "server/hello.py", 'f"Hello, ', 'f"Hello v0, ')
        for number in range(1, 6):
            edit(site / "server/hello.py", f"Hello v{number - 1},", f"Hello v{number},")
            poll(lambda: call(dev_server, "greet", "Ann"), returns(f"Hello v{number}, Ann!"))
    finally:
        stop.set()
        caller.join(timeout=60)
    assert answers
    assert all(status == 200 for status, _ in answers), {s for s, _ in answers}


def test_a_form_post_gets_a_303_back_to_its_page(dev_server: Server) -> None:
    page = dev_server.url + "about/"
    reply = dev_server.raw(endpoint("greet"), method="POST", body=b"name=Bob",
                           headers={**FORM, "origin": origin(dev_server), "referer": page})
    assert reply.status == 303
    assert reply.headers["location"] == page
    assert reply.body == b""
    to_next = dev_server.raw(endpoint("greet"), method="POST", body=b"name=Bob&_next=/thanks/",
                             headers={**FORM, "origin": origin(dev_server), "referer": page})
    assert (to_next.status, to_next.headers["location"]) == (303, origin(dev_server) + "/thanks/")
    missing = dev_server.raw(endpoint("greet"), method="POST", body=b"nom=Bob",
                             headers={**FORM, "origin": origin(dev_server), "referer": page})
    assert missing.status == 400 and missing.headers["content-type"].startswith("text/html")


def test_an_exception_is_a_500_and_the_server_keeps_serving(dev_server: Server) -> None:
    reply = call(dev_server, "boom")
    assert reply.status == 500
    assert error(reply) == {"code": "internal", "message": "the server function failed"}
    assert "kaboom" not in reply.text and "Traceback" not in reply.text
    errors = poll(lambda: dev_server.process.errors, lambda text: "kaboom in boom" in text)
    assert "server function server.hello:boom failed" in errors and "Traceback" in errors
    assert 'server/hello.py", line' in errors  # the author sees where it raised
    left = call(dev_server, "leave")  # SystemExit must not take a thread, let alone the server
    assert left.status == 500 and error(left)["code"] == "internal"
    assert dev_server.get().status == 200
    assert dev_server.get("about/").status == 200
    assert value(call(dev_server, "greet", "Ann")) == "Hello, Ann!"
    assert dev_server.process.proc.poll() is None


def test_the_request_api_works_in_process(dev_server: Server) -> None:
    reply = dev_server.raw(endpoint("whoami") + "?page=2", method="POST", body=call_body("t"),
                           headers={**JSON_CALL, "origin": origin(dev_server), "cookie": "flavour=mint"})
    assert value(reply) == {"client": "127.0.0.1", "query": "page=2", "tag": "t", "cookie": "mint"}
    cookies = [v for k, v in reply.pairs if k.lower() == "set-cookie"]
    assert [c.split(";")[0] for c in cookies] == ["first=1", "second=2"]
    refused = call(dev_server, "refuse")
    assert refused.status == 409 and error(refused) == {"code": "busy", "message": "not today"}


def test_methods_and_unknown_functions(dev_server: Server) -> None:
    for method in ("GET", "PUT", "DELETE"):
        wrong = dev_server.raw(endpoint("greet"), method=method)
        assert wrong.status == 405, method
        assert wrong.headers["allow"] == "POST, OPTIONS"
        assert error(wrong)["code"] == "method_not_allowed"
    assert dev_server.raw(endpoint("greet"), method="HEAD").status == 405
    preflight = dev_server.raw(endpoint("greet"), method="OPTIONS", headers={"origin": origin(dev_server)})
    assert preflight.status == 204 and preflight.headers["allow"] == "POST, OPTIONS"
    unknown = dev_server.raw("/_fn/0123456789abcdef", method="POST", headers=JSON_CALL,
                             body=call_body())
    assert unknown.status == 404 and error(unknown)["code"] == "not_found"
    # elsewhere, anything but GET and HEAD stays a 405
    for target in ("/", "/about/", "/_fn"):
        page = dev_server.raw(target, method="POST", headers=FORM, body=b"name=Bob")
        assert (page.status, page.headers["allow"]) == (405, "GET, HEAD"), target


def test_refusals_come_from_the_dispatcher(dev_server: Server) -> None:
    evil = call(dev_server, "greet", "Ann", _headers={"origin": "https://evil.example"})
    assert evil.status == 403 and error(evil)["code"] == "cross_site"
    no_header = dev_server.raw(endpoint("greet"), method="POST", body=call_body("Ann"),
                               headers={"content-type": "application/json"})
    assert no_header.status == 403 and error(no_header)["code"] == "missing_header"
    text = dev_server.raw(endpoint("greet"), method="POST", body=b"Ann",
                          headers={"content-type": "text/plain", "x-islandgen-action": "1"})
    assert text.status == 415
    wrong_type = call(dev_server, "greet", 42)
    assert wrong_type.status == 400 and "name" in error(wrong_type)["message"]


def test_a_body_over_the_limit_is_413_and_the_connection_stays_usable(dev_server: Server) -> None:
    parts = urlsplit(dev_server.url)
    assert parts.hostname is not None and parts.port is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", endpoint("greet"), body=b"x" * (1024 * 1024 + 1), headers=JSON_CALL)
        too_large = read_reply(connection)
        assert too_large.status == 413 and error(too_large)["code"] == "too_large"
        connection.request("POST", endpoint("greet"), body=call_body("Ann"), headers=JSON_CALL)
        assert value(read_reply(connection)) == "Hello, Ann!"  # the big body was skipped, not parsed
    finally:
        connection.close()


def test_a_chunked_body_is_411(dev_server: Server) -> None:
    parts = urlsplit(dev_server.url)
    assert parts.hostname is not None and parts.port is not None
    body = call_body("Ann")
    raw = (f"POST {endpoint('greet')} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
           "Content-Type: application/json\r\nX-Islandgen-Action: 1\r\n"
           "Transfer-Encoding: chunked\r\n\r\n").encode()
    raw += f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(raw)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, rest = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 411"), answer
    assert json.loads(rest)["error"]["code"] == "length_required"


def test_while_the_build_is_broken_calls_get_a_json_503(dev_server: Server, site: Path) -> None:
    module = site / "server/hello.py"
    good = module.read_text(encoding="utf-8")
    module.write_text(good + "\ndef broken(:\n", encoding="utf-8")
    broken = poll(lambda: call(dev_server, "greet", "Ann"), lambda r: r.status == 503)
    assert error(broken)["code"] == "build_failed"
    assert "<html" not in broken.text
    page = dev_server.get(headers={"accept": "text/html"})
    assert page.status == 500 and "server/hello.py" in page.text  # pages show the error page
    module.write_text(good.replace("Hello,", "Fixed,"), encoding="utf-8")
    poll(lambda: call(dev_server, "greet", "Ann"), returns("Fixed, Ann!"))


def test_a_content_error_also_pauses_the_functions(dev_server: Server, site: Path) -> None:
    edit(site / "components/Greeting.html", "{{ name }}", "{{ name ")
    poll(lambda: call(dev_server, "greet", "Ann"), lambda r: r.status == 503)
    edit(site / "components/Greeting.html", "{{ name ", "{{ name }}")
    poll(lambda: call(dev_server, "greet", "Ann"), returns("Hello, Ann!"))


def test_functions_live_under_the_base_path(site: Path, start_server: Callable[..., Server]) -> None:
    edit(site / "islandgen.yaml", "title: Serve test", "title: Serve test\nbase_path: /sub/")
    server = start_server(str(site))
    assert urlsplit(server.url).path == "/sub/"
    assert value(call(server, "greet", "Ann", _base="/sub/")) == "Hello, Ann!"
    outside = call(server, "greet", "Ann")  # /_fn/... is not the site's endpoint
    assert outside.status == 405 and outside.headers["allow"] == "GET, HEAD"


def test_a_site_without_functions_answers_404(tmp_path: Path, start_server: Callable[..., Server]) -> None:
    write_files(tmp_path / "plain", SITE)
    server = start_server(str(tmp_path / "plain"))
    reply = server.raw(endpoint("greet"), method="POST", headers=JSON_CALL, body=call_body("Ann"))
    assert reply.status == 404 and error(reply)["code"] == "not_found"


def test_a_server_module_added_while_serving_is_picked_up(tmp_path: Path,
                                                          start_server: Callable[..., Server]) -> None:
    write_files(tmp_path / "later", SITE)
    server = start_server(str(tmp_path / "later"))
    write_files(tmp_path / "later", {"server/hello.py": HELLO})
    poll(lambda: call(server, "greet", "Ann"), returns("Hello, Ann!"))


# -- the request body, in-process --------------------------------------------------------


def test_a_body_is_read_whole_within_the_limit_and_skipped_past_it() -> None:
    assert Body.of(b"abc").read(3) == b"abc"
    assert Body.of(b"abcd").read(3) is None
    assert Body().read(10) == b""
    unread = Body.of(b"x" * 100)
    assert unread.drain(limit=1000) is True
    assert Body.of(b"x" * 100).drain(limit=10) is False  # too much to skip: close the connection
    assert Body(None, None).read(10) is None and Body(None, None).drain() is False


def test_a_body_cut_short_is_a_connection_error() -> None:
    import io

    with pytest.raises(ConnectionError):
        Body(io.BytesIO(b"abc"), 10).read(100)
