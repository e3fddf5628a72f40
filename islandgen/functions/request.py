"""The request API a server function sees: headers, cookies, client address in; cookies, status out.

A server function stays a plain function of its arguments; what it needs of
the HTTP call behind it, it reads from `request`, a stand-in for the call
being handled right now (kept in a context variable, so concurrent calls in
threads or on one event loop each see their own):

    from islandgen.functions import request

    def whoami() -> str:
        request.set_cookie("seen", "1", max_age=3600)
        return request.headers.get("user-agent", "")

Stdlib only: this module ships inside the functions bundle.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.cookies import CookieError, Morsel, SimpleCookie
from typing import Literal, cast


@dataclass(frozen=True)
class UploadedFile:
    """A file posted in a multipart form (annotate a parameter with it, or with bytes)."""

    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


class FunctionError(Exception):
    """Raise it to refuse a call with a message the caller may see (the default: 400).

    Any other exception becomes a 500 whose message says nothing about the
    cause; this one's `message` and `code` reach the browser as written.
    """

    def __init__(self, message: str, *, status: int = 400, code: str = "rejected") -> None:
        super().__init__(message)
        self.message = message
        self.status = status if 400 <= status <= 499 else 400
        self.code = code


class Headers(Mapping[str, str]):
    """Request headers; names compare without case."""

    def __init__(self, items: Mapping[str, str] | None = None) -> None:
        self._items = {name.lower(): value for name, value in (items or {}).items()}

    def __getitem__(self, name: str) -> str:
        return self._items[name.lower()]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Headers({self._items!r})"


SameSite = Literal["Strict", "Lax", "None"]


@dataclass
class Request:
    """One call of a server function, as the function sees it.

    `status` is the HTTP status of a JavaScript call's reply (default 200);
    a form post is always answered with a 303 back to its page.
    """

    method: str
    path: str
    headers: Headers
    client: str | None = None  # the peer address (behind a proxy: the proxy's)
    query: str = ""
    status: int = 200
    set_cookies: list[str] = field(default_factory=list)

    @property
    def cookies(self) -> dict[str, str]:
        """Cookies the browser sent, by name."""
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(self.headers.get("cookie", ""))
        except CookieError:
            return {}
        return {name: morsel.value for name, morsel in jar.items()}

    def set_cookie(self, name: str, value: str, *, max_age: int | None = None, path: str = "/",
                   domain: str | None = None, secure: bool = False, http_only: bool = True,
                   same_site: SameSite = "Lax") -> None:
        """Send a `Set-Cookie` with the reply (HttpOnly and SameSite=Lax unless told otherwise)."""
        morsel: Morsel[str] = Morsel()
        morsel.set(name, value, SimpleCookie().value_encode(value)[1])
        morsel["path"] = path
        if max_age is not None:
            morsel["max-age"] = str(max_age)
        if domain:
            morsel["domain"] = domain
        morsel["secure"] = secure or same_site == "None"
        morsel["httponly"] = http_only
        morsel["samesite"] = same_site
        self.set_cookies.append(morsel.OutputString())

    def delete_cookie(self, name: str, *, path: str = "/", domain: str | None = None) -> None:
        self.set_cookie(name, "", max_age=0, path=path, domain=domain)


_current: contextvars.ContextVar[Request | None] = contextvars.ContextVar(
    "islandgen_function_request", default=None
)


def current_request() -> Request:
    """The request of the server function running now; RuntimeError outside of one."""
    found = _current.get()
    if found is None:
        raise RuntimeError("islandgen.functions.request is only available while a server "
                           "function handles a call")
    return found


def handling(call: Request) -> contextvars.Token[Request | None]:
    return _current.set(call)


def done(token: contextvars.Token[Request | None]) -> None:
    _current.reset(token)


class _CurrentRequest:
    """Reads and writes go to the request of the call being handled right now."""

    def __getattr__(self, name: str) -> object:
        return getattr(current_request(), name)

    def __setattr__(self, name: str, value: object) -> None:
        setattr(current_request(), name, value)

    def __repr__(self) -> str:
        found = _current.get()
        return f"<current request: {found.method} {found.path}>" if found else "<no current request>"


request = cast(Request, _CurrentRequest())
