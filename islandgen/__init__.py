"""islandgen: a static site generator with server components, client islands and server functions.

The public API is re-exported here, lazily: `python -m islandgen build` on an
unchanged site must not pay for importing the rendering stack it won't use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import IslandgenError
from .version import __version__

if TYPE_CHECKING:
    from .config import Config, load_config
    from .model import BuildOptions, BuildResult
    from .pipeline import BuildSession, build

_EXPORTS = {
    "build": "islandgen.pipeline",
    "BuildSession": "islandgen.pipeline",
    "BuildOptions": "islandgen.model",
    "BuildResult": "islandgen.model",
    "Config": "islandgen.config",
    "load_config": "islandgen.config",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'islandgen' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = ["BuildOptions", "BuildResult", "BuildSession", "Config", "IslandgenError",
           "__version__", "build", "load_config"]
