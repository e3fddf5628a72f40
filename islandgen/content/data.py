"""data/ files -> `site.data`: YAML, JSON and TOML files, and Python loaders run once per build.

A loader is `data/<name>.py` with a `load()` function; what it returns becomes
`site.data.<name>`. Its code and any secret it reads stay on the build machine:
data/ is never copied to the output.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from ..errors import ContentError, line_in_traceback
from ..sitecode import import_site_module
from ..yamlfile import load_yaml
from .source import read_text

SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".py")


class DataTree(dict[str, Any]):
    """A dict that templates can also read with dots: site.data.team.members."""

    template_name = "site.data"

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"site.data has no {name!r}") from None


def load_data(data_dir: Path) -> DataTree:
    tree = DataTree()
    if not data_dir.is_dir():
        return tree
    for path in sorted(data_dir.rglob("*")):
        rel = path.relative_to(data_dir)
        if path.suffix not in SUFFIXES or not path.is_file() or rel.name.startswith((".", "_")):
            continue
        node = tree
        for folder in rel.parent.parts:
            node = node.setdefault(folder, DataTree())
        if rel.stem in node:
            raise ContentError(f"two data files are named {rel.stem!r}", path=path,
                               hint="rename one; data files are keyed by name without extension")
        node[rel.stem] = _load(path)
    return tree


def _load(path: Path) -> Any:
    if path.suffix == ".py":
        return _run_loader(path)
    text = read_text(path)
    if path.suffix in (".yaml", ".yml"):
        return load_yaml(text, path)[0]
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContentError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"invalid TOML: {exc}", path=path) from None


def _run_loader(path: Path) -> Any:
    module = import_site_module(path, "islandgen_data", ContentError, "the data loader")
    load = getattr(module, "load", None)
    if not callable(load):
        raise ContentError("a data loader must define a function load()", path=path,
                           hint="def load():\n      return [...]")
    try:
        return load()
    except Exception as exc:
        raise ContentError(f"the data loader failed: {type(exc).__name__}: {exc}",
                           path=path, line=line_in_traceback(exc, path)) from exc
