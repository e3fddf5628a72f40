"""islandgen: a static site generator with server components, client islands and server functions.

The public API is re-exported here; everything else is internal.
"""

from .build import BuildOptions, build
from .config import Config, load_config
from .errors import IslandgenError
from .model import BuildResult
from .version import __version__

__all__ = ["BuildOptions", "BuildResult", "Config", "IslandgenError", "__version__", "build",
           "load_config"]
