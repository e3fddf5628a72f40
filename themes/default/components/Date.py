"""A machine-readable date: `<time datetime="2024-05-01T09:30:00+00:00">1 May 2024</time>`.

`short=True` gives "1 Sep 2024". A Python component rather than a template: pages call it
often (each post, each entry of every list page) and a function call costs a fraction of a
template render.
"""

import datetime as dt

from markupsafe import Markup, escape


def Date(value: dt.date, short: bool = False) -> Markup:
    month = escape(value.strftime("%b %Y" if short else "%B %Y"))  # the locale names the month
    return Markup(f'<time datetime="{value.isoformat()}">{value.day} {month}</time>')
