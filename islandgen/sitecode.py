"""A Python file of the site (component, data loader) -> an imported module.

Each file gets a unique module name, registered in `sys.modules` (dataclasses
and pickling look classes up there), and an import that fails points at the
user's own line, not at islandgen.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from .deps import digest
from .errors import IslandgenError, line_in_traceback


def import_site_module(path: Path, namespace: str, error: type[IslandgenError],
                       what: str) -> ModuleType:
    """Import `path` as `<namespace>.<stem>_<hash>`; raise `error` naming `what` on failure."""
    name = f"{namespace}.{path.stem}_{digest(str(path.absolute()))[:8]}"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        sys.modules.pop(name, None)
        raise error(f"{what} failed to import: {type(exc).__name__}: {exc}", path=path,
                    line=line_in_traceback(exc, path)) from exc
    return module
