"""The site and its routes -> the files a host expects beside the pages.

(sitemap.xml, robots.txt, redirects for aliases, host config files.) Pages
themselves never depend on these, so they are generated after rendering,
from the same records, and are always consistent with the routes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import Config
from ..model import OutputFile, Page, Route


@dataclass(frozen=True)
class SiteFacts:
    """What the extras may read: the config, every published page, every route."""

    config: Config
    pages: Sequence[Page]
    routes: Sequence[Route]


def site_extras(facts: SiteFacts) -> list[OutputFile]:
    """Every extra file, sorted by path."""
    return []
