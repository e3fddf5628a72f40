"use server"
# The guestbook: a plain HTML form signs it (no JavaScript needed), an island lists it.

from dataclasses import dataclass

from islandgen.functions import FunctionError, request

from .db import connect

MAX_NAME = 60
MAX_MESSAGE = 500


@dataclass(frozen=True)
class Entry:
    name: str
    message: str
    created: str


def sign(name: str, message: str) -> int:
    """Add an entry; its number. The name is remembered in a cookie for next time."""
    name, message = name.strip(), message.strip()
    if not name or not message:
        raise FunctionError("Please write your name and a message.", code="empty")
    if len(name) > MAX_NAME or len(message) > MAX_MESSAGE:
        raise FunctionError(f"Keep the name under {MAX_NAME} and the message under {MAX_MESSAGE} "
                            "characters.", code="too_long")
    with connect() as db:
        (number,) = db.execute(
            "INSERT INTO guestbook (name, message) VALUES (?, ?) RETURNING id", (name, message)
        ).fetchone()
    request.set_cookie("harbour_name", name, max_age=365 * 24 * 3600)
    return int(number)


def entries(limit: int = 20) -> list[Entry]:
    """The newest entries first."""
    with connect() as db:
        rows = db.execute(
            "SELECT name, message, created FROM guestbook ORDER BY id DESC LIMIT ?",
            (max(1, min(limit, 100)),),
        ).fetchall()
    return [Entry(*row) for row in rows]
