"""A site folder -> its config and theme layers, remembered while what they were read from stands still.

The no-change exit (fastpath.py) needs the config and the theme layers before
it can compare a single stat, and working them out parses YAML and asks
importlib.metadata for the installed themes: ~25 ms of imports and scanning,
a quarter of an up-to-date build of 1,000 pages. So the result is kept in the
cache folder with a key of everything the lookup read, and reused while that
key still matches:

- the islandgen that resolved it (`code_stamp`) and the command line's overrides;
- the size and mtime of islandgen.yaml and of each layer's theme.yaml;
- the mtimes of the site's themes/ folder and of each folder in it (a theme
  added, removed or given its theme.yaml);
- the import path, and the mtime of each of its entries: installing,
  upgrading or removing a package (a theme's entry point with it) changes the
  folder its metadata is written to.

Full builds and the dev server's rebuilds take their settings from here too, so
the lookup is made once, not again after the no-change exit declined, and an
edit to a page does not parse islandgen.yaml. A build without the cache
(`use_cache=False`) reads them with `read_settings` and remembers nothing.

A lookup is remembered only if none of these changed after it began (or in
the second before: file times come from a coarse clock): one saved while it
ran may have been read half old, half new.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from .cache import code_stamp, load_entry, save_entry
from .config import CONFIG_FILE, Config, load_config
from .themes import THEME_FILE, Layer, resolve_layers

SETTLED_NS = 1_000_000_000  # file mtimes come from a coarse clock: this much older counts as settled
Stat = tuple[str, int, int]  # path, size (-1 for a folder), mtime_ns (-1: missing)
Key = tuple[tuple[object, ...], tuple[Stat, ...]]  # (islandgen, overrides, import path), stats


@dataclass(frozen=True)
class Settings:
    """What a build knows before it reads any input: the config and where its files come from."""

    config: Config
    layers: tuple[Layer, ...]  # the site, then its theme and the themes it extends
    notes: tuple[str, ...]  # about the config, for the build summary (no base_url ...)


def site_settings(site_dir: Path, overrides: dict[str, object]) -> Settings:
    """The remembered settings while their sources are unchanged, else read (and remembered)."""
    remembered = load_entry(site_dir, "settings")
    if isinstance(remembered, tuple) and len(remembered) == 2:
        key, settings = remembered
        if isinstance(settings, Settings) and key == _key(site_dir, overrides, settings.layers):
            return settings
    started = time.time_ns()
    settings = read_settings(site_dir, overrides)
    key = _key(site_dir, overrides, settings.layers)
    if all(mtime < started - SETTLED_NS for _, _, mtime in key[1]):
        with contextlib.suppress(OSError):  # a read-only site reads its settings every time
            save_entry(site_dir, "settings", (key, settings))
    return settings


def read_settings(site_dir: Path, overrides: dict[str, object]) -> Settings:
    """Parse islandgen.yaml and resolve its theme. What this needs (YAML, package metadata,
    the extras) is imported here, not by the no-change exit while settings are remembered."""
    from .output.extras import notes

    config = load_config(site_dir, overrides)
    layers = resolve_layers(site_dir, config.theme, site_dir / CONFIG_FILE)
    return Settings(config, layers, tuple(notes(config)))


def _key(site_dir: Path, overrides: dict[str, object], layers: tuple[Layer, ...]) -> Key:
    files = [site_dir / CONFIG_FILE, *(layer.path / THEME_FILE for layer in layers[1:])]
    themes = site_dir / "themes"
    folders = [themes, *_subfolders(themes), *(Path(entry or ".") for entry in sys.path)]
    stats = [_stat(file) for file in files] + [_stat(folder, size=False) for folder in folders]
    return (code_stamp(), tuple(sorted(overrides.items())), tuple(sys.path)), tuple(stats)


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(Path(entry.path) for entry in os.scandir(folder) if entry.is_dir())
    except OSError:
        return []


def _stat(path: Path, *, size: bool = True) -> Stat:
    try:
        stat = os.stat(path)
    except OSError:
        return (str(path), -1, -1)
    return (str(path), stat.st_size if size else -1, stat.st_mtime_ns)
