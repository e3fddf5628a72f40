"use server"
# A poll. A FunctionError reaches the caller as {"ok": false, "error": {code, message}}:
# the island's call rejects with that message, a form post shows it.

from islandgen.functions import FunctionError

from .db import connect

OPTIONS = ("islands", "functions", "themes")


def vote(option: str) -> dict[str, int]:
    """Count a vote; the tally after it."""
    if option not in OPTIONS:
        raise FunctionError(f"Choose one of: {', '.join(OPTIONS)}.", code="unknown_option")
    with connect() as db:
        db.execute("INSERT INTO votes (option, count) VALUES (?, 1) "
                   "ON CONFLICT (option) DO UPDATE SET count = count + 1", (option,))
    return tally()


def tally() -> dict[str, int]:
    """Votes per option, every option included."""
    with connect() as db:
        counts = dict(db.execute("SELECT option, count FROM votes").fetchall())
    return {option: int(counts.get(option, 0)) for option in OPTIONS}
