"""site.data.samples: Python values for the Values island, one of each kind the codec carries."""

import datetime as dt
import enum
from dataclasses import dataclass


class Tone(enum.Enum):
    CALM = "calm"


@dataclass
class Point:
    x: int
    y: int


def load() -> dict[str, object]:
    return {
        "when": dt.datetime(2024, 5, 1, 9, 30, tzinfo=dt.UTC),
        "tags": {"python", "islands"},
        "big": 2**64,
        "raw": b"\x00\x01",
        "scores": {1: "one", 2: "two"},
        "point": Point(3, 4),
        "tone": Tone.CALM,
        "nothing": float("nan"),
        "dollars": "$5",
    }
