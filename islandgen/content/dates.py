"""Front matter date values -> timezone-aware datetimes.

Sites migrate from Jekyll, Hugo and Pelican with dates written every which way;
all of them become aware datetimes so pages can be sorted and compared.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

_FORMATS = (
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d %B %Y",
    "%B %d, %Y",
)


def parse_date(value: object, tz: ZoneInfo) -> dt.datetime:
    """Turn a YAML date, datetime or date-like string into an aware datetime.

    Raises ValueError with the accepted forms when the value is not a date.
    """
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, str):
        text = value.strip()
        try:
            return parse_date(dt.datetime.fromisoformat(text.replace("Z", "+00:00")), tz)
        except ValueError:
            pass
        for fmt in _FORMATS:
            try:
                return parse_date(dt.datetime.strptime(text, fmt), tz)
            except ValueError:
                continue
    raise ValueError(
        f"{value!r} is not a date; write it as 2024-05-01, 2024-05-01T09:30:00 "
        "or 2024-05-01 09:30:00 +0000"
    )
