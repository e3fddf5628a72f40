"""When the dev server's garbage is collected: not between a save and the reloaded page.

A build runs with Python's cyclic collector paused (see pipeline.py). Were it
switched back on as the build returns, everything the build allocated would
still count as young, and the next allocation (on the rebuild thread, or on a
request thread serving the reloaded page) would start a pass over all of it:
~5 ms after every edit of a 4,000-page site and, every tenth edit or so, a
~70 ms pass of the middle generation. So the collector stays paused from a
rebuild until the site has been quiet for a moment (the browsers have
reloaded by then), and one young-and-middle pass then catches up before the
collector runs on its own again, as usual, for the requests that follow.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

QUIET_SECONDS = 1.0  # after a rebuild, this long without a change before garbage is collected
MOST_BUILDS_UNCOLLECTED = 20  # saves that never pause that long still get collected this often


class QuietCollector:
    """Pauses the cyclic collector for rebuilds and catches up once nobody waits for one."""

    def __init__(self) -> None:
        self.builds_behind = 0  # rebuilds since the collector last caught up

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """The collector is off inside and stays off after: `catch_up()` turns it back on."""
        gc.disable()
        self.builds_behind += 1
        yield

    @property
    def overdue(self) -> bool:
        """True when edits have kept coming for so long that collection cannot wait for a pause."""
        return self.builds_behind >= MOST_BUILDS_UNCOLLECTED

    def catch_up(self) -> None:
        """Collect what the rebuilds left (young and middle generations) and resume collecting."""
        if self.builds_behind:
            gc.collect(1)
            self.builds_behind = 0
        gc.enable()
