"""WSGI, ASGI and AWS Lambda events <-> the dispatcher (stdlib only).

Each adapter only translates: it reads the method, path, headers, client
address and at most `max_body + 1` bytes of body from its host's request
shape, calls the one `Dispatcher`, and writes the `Response` back in the
host's shape. No adapter makes a decision the dispatcher makes.

Lambda events: API Gateway REST APIs send payload version 1.0 (`httpMethod`,
`path` without the stage, `multiValueHeaders`); HTTP APIs and function URLs
send 2.0 (`requestContext.http`, `rawPath`, cookies as a list). Both may
base64-encode the body.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Iterable, Mapping, MutableMapping
from typing import Any
from urllib.parse import urlencode

from .dispatch import Dispatcher, Response

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]
Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
LambdaHandler = Callable[[Mapping[str, Any], Any], dict[str, Any]]


def joined_headers(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header pairs -> one value per lower-case name (repeats joined as HTTP allows)."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.lower()
        if key in headers:
            headers[key] += ("; " if key == "cookie" else ", ") + value
        else:
            headers[key] = value
    return headers


# -- WSGI ----------------------------------------------------------------------------


def make_wsgi(dispatcher: Dispatcher) -> WSGIApp:
    """A WSGI application (gunicorn, mod_wsgi, waitress, wsgiref...)."""

    def wsgi_app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        headers = joined_headers(
            (key[5:].replace("_", "-"), str(value)) for key, value in environ.items()
            if key.startswith("HTTP_")
        )
        for key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            if environ.get(key):
                headers[key.replace("_", "-").lower()] = str(environ[key])
        declared = headers.get("content-length", "0")
        length = int(declared) if declared.isdigit() else 0
        limit = dispatcher.settings.max_body
        body = environ["wsgi.input"].read(length) if 0 < length <= limit else b""
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        response = dispatcher.handle(environ["REQUEST_METHOD"], path, headers, body,
                                     client=environ.get("REMOTE_ADDR"),
                                     query=environ.get("QUERY_STRING", ""))
        start_response(f"{response.status} {response.reason}", list(response.headers))
        return [response.body]

    return wsgi_app


# -- ASGI ----------------------------------------------------------------------------


def make_asgi(dispatcher: Dispatcher) -> ASGIApp:
    """An ASGI 3 application (uvicorn, hypercorn, daphne...); async functions run on its loop."""

    async def asgi_app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        headers = joined_headers((k.decode("latin-1"), v.decode("latin-1")) for k, v in scope["headers"])
        body = await _read_body(receive, dispatcher.settings.max_body)
        if body is None:
            return  # the client went away
        client = scope.get("client")
        response = await dispatcher.handle_async(
            scope["method"], scope["path"], headers, body,
            client=client[0] if client else None,
            query=scope.get("query_string", b"").decode("latin-1"),
        )
        await send({"type": "http.response.start", "status": response.status,
                    "headers": [(k.lower().encode("latin-1"), v.encode("latin-1"))
                                for k, v in response.headers]})
        await send({"type": "http.response.body", "body": response.body})

    return asgi_app


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The body, or its first `limit + 1` bytes when longer (enough for the dispatcher's 413)."""
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        body += message.get("body", b"")
        if len(body) > limit or not message.get("more_body", False):
            return bytes(body[: limit + 1])


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


# -- AWS Lambda ------------------------------------------------------------------------


def make_lambda(dispatcher: Dispatcher) -> LambdaHandler:
    """A Lambda handler for API Gateway (REST v1, HTTP API v2) and function URL events."""

    def lambda_handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        v2 = event.get("version") == "2.0"
        method, path, headers, query, client = (_v2_request if v2 else _v1_request)(event)
        raw = event.get("body") or ""
        body = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode("utf-8")
        response = dispatcher.handle(method, path, headers, body, client=client, query=query)
        return (_v2_response if v2 else _v1_response)(response)

    return lambda_handler


Parsed = tuple[str, str, dict[str, str], str, str | None]


def _v2_request(event: Mapping[str, Any]) -> Parsed:
    http = event.get("requestContext", {}).get("http", {})
    headers = joined_headers((event.get("headers") or {}).items())
    if event.get("cookies"):
        headers["cookie"] = "; ".join(event["cookies"])
    return (http.get("method", "GET"), event.get("rawPath", "/"), headers,
            event.get("rawQueryString", ""), http.get("sourceIp"))


def _v1_request(event: Mapping[str, Any]) -> Parsed:
    multi: Mapping[str, list[str]] = event.get("multiValueHeaders") or {}
    pairs = [(k, v) for k, values in multi.items() for v in values] if multi else \
        list((event.get("headers") or {}).items())
    query_multi: Mapping[str, list[str]] = event.get("multiValueQueryStringParameters") or {}
    query = urlencode([(k, v) for k, values in query_multi.items() for v in values])
    identity = event.get("requestContext", {}).get("identity", {})
    return (event.get("httpMethod", "GET"), event.get("path", "/"), joined_headers(pairs), query,
            identity.get("sourceIp"))


def _v2_response(response: Response) -> dict[str, Any]:
    cookies = [v for k, v in response.headers if k.lower() == "set-cookie"]
    headers = joined_headers((k, v) for k, v in response.headers if k.lower() != "set-cookie")
    result: dict[str, Any] = {"statusCode": response.status, "headers": headers,
                              "body": response.body.decode("utf-8"), "isBase64Encoded": False}
    if cookies:
        result["cookies"] = cookies
    return result


def _v1_response(response: Response) -> dict[str, Any]:
    multi: dict[str, list[str]] = {}
    for name, value in response.headers:
        multi.setdefault(name, []).append(value)
    return {"statusCode": response.status, "multiValueHeaders": multi,
            "body": response.body.decode("utf-8"), "isBase64Encoded": False}
