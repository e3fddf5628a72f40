"use server"
# Every kind of parameter and answer a server function can have, for the tests.
import asyncio
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypedDict

from islandgen.functions import FunctionError, UploadedFile, request

from ._secret import TOKEN


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


@dataclass
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)


class Options(TypedDict):
    mode: Literal["fast", "slow"]
    depth: NotRequired[int]


def echo(value: Any) -> Any:
    return value


def add(a: int, b: float = 0.5) -> float:
    return a + b


def shapes(point: Point, options: Options, color: Color, maybe: int | None = None,
           names: list[str] | None = None, scores: dict[str, float] | None = None,
           when: dt.date | None = None, pair: tuple[int, str] | None = None,
           ids: set[int] | None = None) -> dict[str, Any]:
    return {"point": point, "options": options, "color": color, "maybe": maybe, "names": names,
            "scores": scores, "when": when, "pair": pair, "ids": ids}


async def slow_double(n: int) -> int:
    await asyncio.sleep(0.01)
    return n * 2


def form_fields(name: str, age: int, subscribe: bool, tags: list[str], note: str | None = None,
                level: Literal["a", "b"] = "a") -> None:
    LAST_FORM.clear()
    LAST_FORM.update(name=name, age=age, subscribe=subscribe, tags=tags, note=note, level=level)


def upload(title: str, photo: UploadedFile, extra: bytes | None = None) -> dict[str, Any]:
    return {"title": title, "name": photo.filename, "type": photo.content_type, "data": photo.data,
            "extra": extra}


def last_form() -> dict[str, Any]:
    return dict(LAST_FORM)


def boom(n: int) -> int:
    raise RuntimeError(f"internal detail {TOKEN}: {n // 0}")


def refuse(reason: str) -> None:
    raise FunctionError(f"refused: {reason}", status=409, code="conflict")


def whoami() -> dict[str, Any]:
    request.set_cookie("seen", "yes; really", max_age=60)
    request.status = 201
    return {"agent": request.headers.get("user-agent"), "cookies": request.cookies,
            "client": request.client, "method": request.method}


def unsendable() -> Any:
    return object()


LAST_FORM: dict[str, Any] = {}
