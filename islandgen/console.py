"""The one rich console islandgen prints through, created on first use."""

from __future__ import annotations

import functools

from rich.console import Console


@functools.cache
def console() -> Console:
    """Standard output console; highlight off so paths and URLs print as written."""
    return Console(highlight=False)


@functools.cache
def error_console() -> Console:
    return Console(stderr=True, highlight=False)
