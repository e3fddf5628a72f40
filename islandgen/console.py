"""The one rich console islandgen prints through, created on first use.

rich is imported only when something is printed: a quiet build never pays for it.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console


@functools.cache
def console() -> Console:
    """Standard output console; highlight off so paths and URLs print as written."""
    from rich.console import Console

    return Console(highlight=False)


@functools.cache
def error_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def escape(text: str) -> str:
    """`text` with rich markup characters escaped, to print it as written."""
    from rich.markup import escape

    return escape(text)
