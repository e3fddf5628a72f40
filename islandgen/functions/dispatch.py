"""One HTTP request to `<functions base>/_fn/<id>` -> one `Response` (stdlib only).

The dispatcher is the whole server side of server functions; the dev server
calls it in-process and the bundle's WSGI, ASGI and Lambda adapters wrap it.
It refuses, in this order: an unknown id (404), a method other than POST
(405; OPTIONS answers CORS preflights), a cross-site caller (403), a body
over the limit (413), a content type other than JSON or a form (415), a JSON
call without the `X-Islandgen-Action` header (403), then arguments that do
not match the annotations (400). Only then does the function run; an
exception in it is a 500 with a generic message, its traceback goes to the
`islandgen.functions` logger, and no reply ever carries one.

A JSON call gets `{"ok": true, "value": ...}` (see `wire`); a plain form post
gets a 303 back to the page it came from.
"""

from __future__ import annotations

import functools
import html
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from . import schema, wire
from .forms import Fields, FormError, parse_multipart, parse_urlencoded
from .registry import Function, Settings
from .request import FunctionError, Headers, Request, done, handling

ENDPOINT = "/_fn/"
ACTION_HEADER = "x-islandgen-action"
JSON_TYPE = "application/json"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NEXT_FIELD = "_next"
logger = logging.getLogger("islandgen.functions")

_REASONS = {200: "OK", 204: "No Content", 303: "See Other", 400: "Bad Request", 403: "Forbidden",
            404: "Not Found", 405: "Method Not Allowed", 413: "Content Too Large",
            415: "Unsupported Media Type", 500: "Internal Server Error"}


@dataclass(frozen=True)
class Response:
    """What to send back: status, headers (Set-Cookie may repeat) and body."""

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    @property
    def reason(self) -> str:
        return _REASONS.get(self.status, "Unknown")

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class _Call:
    """A request that passed every check: the function, its checked arguments, how to answer."""

    function: Function
    arguments: dict[str, Any]
    request: Request
    form: bool  # answer with a 303 (a plain form post) rather than JSON
    back: str
    cors: tuple[tuple[str, str], ...] = field(default_factory=tuple)


class _Refusal(Exception):
    def __init__(self, status: int, code: str, message: str, *extra: tuple[str, str]) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def endpoint_id(path: str) -> str | None:
    """The function id of a request path ending in `/_fn/<id>` (under any base path or stage)."""
    _, found, tail = path.rpartition(ENDPOINT)
    return tail if found and tail and "/" not in tail else None


class Dispatcher:
    """Answers server function calls for one set of functions (the manifest's allow-list)."""

    def __init__(self, functions: Mapping[str, Function], settings: Settings | None = None) -> None:
        self.functions = dict(functions)
        self.settings = settings or Settings()

    def handle(self, method: str, path: str, headers: Mapping[str, str], body: bytes, *,
               client: str | None = None, query: str = "") -> Response:
        """Answer one request, running the function in this thread (async ones on a new loop)."""
        prepared = self._prepare(method, path, Headers(headers), body, client, query)
        if isinstance(prepared, Response):
            return prepared
        call = prepared.function.call
        if prepared.function.is_async:
            import asyncio  # only async functions need it: the build does not

            return self._run(prepared, lambda **kw: asyncio.run(call(**kw)))
        return self._run(prepared, call)

    async def handle_async(self, method: str, path: str, headers: Mapping[str, str], body: bytes, *,
                           client: str | None = None, query: str = "") -> Response:
        """Answer one request from an event loop: plain functions run in a worker thread."""
        prepared = self._prepare(method, path, Headers(headers), body, client, query)
        if isinstance(prepared, Response):
            return prepared
        token = handling(prepared.request)
        try:
            if prepared.function.is_async:
                value = await prepared.function.call(**prepared.arguments)
            else:
                import asyncio  # running in an event loop: already imported

                call = functools.partial(prepared.function.call, **prepared.arguments)
                value = await asyncio.to_thread(call)  # copies the context: `request` works there
        except Exception as error:
            return self._failed(prepared, error)
        finally:
            done(token)
        return self._succeeded(prepared, value)

    def _run(self, prepared: _Call, call: Callable[..., Any]) -> Response:
        token = handling(prepared.request)
        try:
            value = call(**prepared.arguments)
        except Exception as error:
            return self._failed(prepared, error)
        finally:
            done(token)
        return self._succeeded(prepared, value)

    # -- before the call ------------------------------------------------------------

    def _prepare(self, method: str, path: str, headers: Headers, body: bytes,
                 client: str | None, query: str) -> _Call | Response:
        form = _is_form(headers) and ACTION_HEADER not in headers
        cors = self._cors(headers)
        try:
            function = self.functions.get(endpoint_id(path) or "")
            if function is None:
                raise _Refusal(404, "not_found", "no such server function")
            if method == "OPTIONS":
                return self._preflight(headers, cors)
            if method != "POST":
                raise _Refusal(405, "method_not_allowed", "server functions are called with POST",
                               ("Allow", "POST, OPTIONS"))
            if not self._same_site(headers):
                raise _Refusal(403, "cross_site", "this site does not accept calls from that origin")
            declared = headers.get("content-length", "")
            if len(body) > self.settings.max_body or (
                declared.isdigit() and int(declared) > self.settings.max_body
            ):
                raise _Refusal(413, "too_large", f"the body is over {self.settings.max_body} bytes")
            request = Request(method, path, headers, client, query)
            if form or _is_form(headers):
                fields = _parse_form(headers, body)
                arguments = _form_arguments(function, fields)
                return _Call(function, arguments, request, form, self._back(headers, fields), cors)
            if _media_type(headers) != JSON_TYPE:
                raise _Refusal(415, "unsupported_media_type",
                               "send JSON (application/json) or a form")
            if ACTION_HEADER not in headers:
                raise _Refusal(403, "missing_header",
                               f"JSON calls need the {ACTION_HEADER} header (the islandgen stub sends it)")
            args, kwargs = _decode(body)
            return _Call(function, _bind(function, args, kwargs), request, False, "", cors)
        except _Refusal as refusal:
            return self._refused(refusal, form, headers, cors)

    def _same_site(self, headers: Headers) -> bool:
        """Origin (or, without it, Sec-Fetch-Site) says the caller is this site or an allowed one."""
        origin = headers.get("origin")
        if origin is None:
            return headers.get("sec-fetch-site", "same-origin") != "cross-site"
        return self._allowed(origin, headers)

    def _allowed(self, origin: str, headers: Headers) -> bool:
        if origin in self.settings.allowed_origins:
            return True
        hosts = {headers.get("host"), headers.get("x-forwarded-host")} - {None}
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc in hosts

    def _cors(self, headers: Headers) -> tuple[tuple[str, str], ...]:
        origin = headers.get("origin")
        if not self.settings.cors or origin not in self.settings.allowed_origins:
            return ()
        return (("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true"),
                ("Vary", "Origin"))

    def _preflight(self, headers: Headers, cors: tuple[tuple[str, str], ...]) -> Response:
        if "origin" in headers and not cors and not self._allowed(headers["origin"], headers):
            raise _Refusal(403, "cross_site", "this site does not accept calls from that origin")
        allow = (("Access-Control-Allow-Methods", "POST"),
                 ("Access-Control-Allow-Headers", f"content-type, {ACTION_HEADER}"),
                 ("Access-Control-Max-Age", "600")) if cors else ()
        return Response(204, (("Allow", "POST, OPTIONS"), *cors, *allow))

    def _back(self, headers: Headers, fields: Fields) -> str:
        """Where a form post returns: `_next` or the Referer when same-site, else the site."""
        base = headers.get("referer", "")
        if base and not self._allowed(_origin(base), headers):
            base = ""
        base = base or self.settings.site_url
        wanted = fields.get(NEXT_FIELD, [""])[-1]
        if isinstance(wanted, str) and wanted and "\\" not in wanted:
            target = urljoin(base, wanted) if base else wanted
            if _safe_path(wanted) or self._allowed(_origin(target), headers):
                return _ascii_url(target)
        return _ascii_url(base or "/")

    # -- answers --------------------------------------------------------------------

    def _succeeded(self, call: _Call, value: Any) -> Response:
        cookies = tuple(("Set-Cookie", c) for c in call.request.set_cookies)
        if call.form:
            return Response(303, (("Location", call.back), ("Cache-Control", "no-store"),
                                  *cookies, *call.cors))
        try:
            encoded, refs = wire.encode_value(value)
        except wire.WireError as error:
            logger.error("server function %s returned a value that cannot be sent: %s",
                         call.function.qualified, error)
            return self._refused(_Refusal(500, "internal", "the server function failed"),
                                 False, call.request.headers, call.cors)
        body = wire.dumps({"ok": True, "v": wire.FORMAT_VERSION, "refs": refs, "value": encoded})
        return Response(call.request.status, (*_JSON_HEADERS, *cookies, *call.cors), body)

    def _failed(self, call: _Call, error: Exception) -> Response:
        if isinstance(error, FunctionError):
            refusal = _Refusal(error.status, error.code, error.message)
        else:
            logger.error("server function %s failed", call.function.qualified, exc_info=error)
            refusal = _Refusal(500, "internal", "the server function failed")
        return self._refused(refusal, call.form, call.request.headers, call.cors)

    def _refused(self, refusal: _Refusal, form: bool, headers: Headers,
                 cors: tuple[tuple[str, str], ...]) -> Response:
        if form:
            page = _error_page(refusal.status, refusal.message, headers.get("referer", ""))
            return Response(refusal.status, (("Content-Type", "text/html; charset=utf-8"),
                                             ("Cache-Control", "no-store"), *refusal.extra, *cors), page)
        body = wire.dumps({"ok": False, "error": {"code": refusal.code, "message": refusal.message}})
        return Response(refusal.status, (*_JSON_HEADERS, *refusal.extra, *cors), body)


_JSON_HEADERS = (("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store"),
                 ("X-Content-Type-Options", "nosniff"))


def _media_type(headers: Headers) -> str:
    return headers.get("content-type", "").split(";", 1)[0].strip().lower()


def _is_form(headers: Headers) -> bool:
    return _media_type(headers) in FORM_TYPES


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _safe_path(target: str) -> bool:
    """A path on this site (`/guestbook/`), never `//evil.example` or `/\\evil.example`."""
    return target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target


def _ascii_url(url: str) -> str:
    """A Location header must be ASCII: escape anything else, keep what is already escaped."""
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~")


def _parse_form(headers: Headers, body: bytes) -> Fields:
    try:
        if _media_type(headers) == "multipart/form-data":
            return parse_multipart(headers.get("content-type", ""), body)
        return parse_urlencoded(body)
    except FormError as error:
        raise _Refusal(400, "bad_form", str(error)) from None


def _decode(body: bytes) -> tuple[list[Any], dict[str, Any]]:
    try:
        return wire.decode_call(body)
    except wire.WireError as error:
        raise _Refusal(400, "bad_payload", str(error)) from None


def _bind(function: Function, args: list[Any], kwargs: dict[str, Any]) -> dict[str, Any]:
    """Positional and named arguments -> each parameter's checked value."""
    params = {p.name: p for p in function.params}
    if len(args) > len(function.params):
        raise _Refusal(400, "invalid_argument",
                       f"{function.name} takes {len(function.params)} arguments, got {len(args)}")
    values = {p.name: value for p, value in zip(function.params, args, strict=False)}
    for name, value in kwargs.items():
        if name not in params:
            raise _Refusal(400, "invalid_argument", f"{name}: {function.name} has no such parameter")
        if name in values:
            raise _Refusal(400, "invalid_argument", f"{name}: given twice")
        values[name] = value
    return _checked(function, values, form=False)


def _form_arguments(function: Function, fields: Fields) -> dict[str, Any]:
    """Form fields by parameter name; an absent checkbox is False, an absent list is empty."""
    values: dict[str, Any] = {}
    for param in function.params:
        sent = fields.get(param.name)
        if sent is not None:
            values[param.name] = sent if param.repeated else sent[-1]
        elif param.required and param.boolean:
            values[param.name] = "off"
        elif param.required and param.repeated:
            values[param.name] = []
    return _checked(function, values, form=True)


def _checked(function: Function, values: dict[str, Any], *, form: bool) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for param in function.params:
        if param.name not in values:
            if param.required:
                raise _Refusal(400, "invalid_argument", f"{param.name}: missing")
            continue
        try:
            checked[param.name] = schema.convert(param.annotation, values[param.name], param.name,
                                                 form=form)
        except schema.Invalid as error:
            raise _Refusal(400, "invalid_argument", str(error)) from None
        except RecursionError:
            raise _Refusal(400, "invalid_argument", f"{param.name}: nested too deeply") from None
    return checked


def _error_page(status: int, message: str, back: str) -> bytes:
    """What a browser without JavaScript shows when its form post is refused."""
    reason = _REASONS.get(status, "Error")
    link = f'<p><a href="{html.escape(back)}">Go back</a></p>' if back.startswith(("http", "/")) else ""
    return (f"<!doctype html><meta charset=utf-8><title>{status} {reason}</title>"
            f"<h1>{status} {reason}</h1><p>{html.escape(message)}</p>{link}\n").encode()


def error_json(status: int, code: str, message: str) -> Response:
    """A refusal made outside the dispatcher (an adapter's own 413 or 404), in the same shape."""
    return Response(status, _JSON_HEADERS, json.dumps(
        {"ok": False, "error": {"code": code, "message": message}}).encode())
