"""Theme name -> the chain of folders templates and static files are looked up in.

The site folder comes first, then its theme, then the theme that one extends,
so a site overrides any theme file by relative path.

A theme name is looked up in three places, nearest first: the site's own
`themes/<name>/`, then installed packages that register the name under the
entry point group `islandgen.themes`, then the themes bundled with islandgen.
So a site can patch an installed theme by copying it into `themes/`, and a
package can replace a bundled theme without the site changing a line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal

from .errors import ConfigError, suggest

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

THEME_FILE = "theme.yaml"
ENTRY_POINT_GROUP = "islandgen.themes"

Origin = Literal["site", "installed", "bundled"]


@dataclass(frozen=True)
class Layer:
    """One folder in the lookup chain: the site itself or a theme."""

    name: str  # 'site' for the site folder, else the theme name
    path: Path

    @property
    def is_theme(self) -> bool:
        return self.name != "site"


@dataclass(frozen=True)
class ThemeSource:
    """Where a theme name can be found, before anything is imported.

    Installed themes are located lazily (`folder()` imports the package), so
    listing the available themes never runs a theme package's code.
    """

    name: str
    origin: Origin
    where: str  # for people: 'themes/mine', 'fancy-theme 1.2 (fancy_theme:THEME_DIR)', a path
    locate: Callable[[], Path]

    def folder(self) -> Path:
        """The theme's folder (the one holding theme.yaml); a ConfigError if it has none."""
        path = self.locate()
        if not (path / THEME_FILE).is_file():
            raise ConfigError(
                f"theme {self.name!r} ({self.where}) has no {THEME_FILE} in {path}",
                hint=f"a theme folder holds {THEME_FILE} (name, optional extends) beside "
                     "layouts/, components/, static/ ...",
            )
        return path


def bundled_themes_dir() -> Path:
    """Themes that ship with islandgen: inside the wheel, or at the top of a checkout."""
    installed = Path(__file__).parent / "_themes"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "themes"


def find_themes(site_dir: Path) -> dict[Origin, dict[str, ThemeSource]]:
    """Every theme a site can name, by origin (site, installed, bundled), each sorted by name."""
    return {
        "site": _folder_themes(site_dir / "themes", "site", site_dir),
        "installed": _installed_themes(),
        "bundled": _folder_themes(bundled_themes_dir(), "bundled", None),
    }


def available_themes(site_dir: Path) -> dict[str, ThemeSource]:
    """Theme name -> the source a site gets for it: local beats installed beats bundled."""
    found: dict[str, ThemeSource] = {}
    for by_name in find_themes(site_dir).values():
        for name, source in by_name.items():
            found.setdefault(name, source)
    return dict(sorted(found.items()))


def _folder_themes(root: Path, origin: Origin, site_dir: Path | None) -> dict[str, ThemeSource]:
    found: dict[str, ThemeSource] = {}
    if not root.is_dir():
        return found
    for folder in sorted(root.iterdir()):
        if (folder / THEME_FILE).is_file():
            where = (folder.relative_to(site_dir).as_posix() if site_dir is not None
                     else f"bundled with islandgen, {folder}")
            found[folder.name] = ThemeSource(folder.name, origin, where, _constant(folder))
    return found


def _constant(path: Path) -> Callable[[], Path]:
    return lambda: path


def _installed_themes() -> dict[str, ThemeSource]:
    """Themes registered by installed packages, by entry point name."""
    from importlib.metadata import entry_points  # ~9 ms: only when a lookup is not remembered

    by_name: dict[str, list[EntryPoint]] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        by_name.setdefault(point.name, []).append(point)
    found: dict[str, ThemeSource] = {}
    for name in sorted(by_name):
        points = by_name[name]
        where = ", ".join(_describe(point) for point in points)
        locate = _entry_point_folder(name, points[0]) if len(points) == 1 else _ambiguous(name, where)
        found[name] = ThemeSource(name, "installed", where, locate)
    return found


def _describe(point: EntryPoint) -> str:
    dist = point.dist
    package = f"{dist.name} {dist.version}" if dist is not None else "an installed package"
    return f"{package} ({point.value})"


def _ambiguous(name: str, where: str) -> Callable[[], Path]:
    def fail() -> Path:
        raise ConfigError(f"more than one installed package registers the theme {name!r}: {where}",
                          hint="uninstall all but one of them, or copy the one you want into "
                               f"themes/{name}/ of the site (a site's own themes come first)")
    return fail


def _entry_point_folder(name: str, point: EntryPoint) -> Callable[[], Path]:
    """How to find an installed theme's folder: import what the entry point names.

    The value may name a module or package (`mytheme`: the theme is the folder
    the module is in) or an attribute holding a path (`mytheme:THEME_DIR`).
    """

    def locate() -> Path:
        try:
            value = point.load()
        except Exception as exc:  # a broken package: say which one, and what went wrong
            raise ConfigError(
                f"the installed theme {name!r} failed to load: {type(exc).__name__}: {exc}",
                hint=f"it is registered by {_describe(point)}; reinstall or uninstall that package",
            ) from exc
        if isinstance(value, ModuleType):
            if value.__file__ is None:
                return Path(next(iter(value.__path__)))  # a namespace package
            return Path(value.__file__).parent
        if isinstance(value, str | os.PathLike):
            return Path(value)
        raise ConfigError(
            f"the installed theme {name!r} ({_describe(point)}) points at a "
            f"{type(value).__name__}, not a folder",
            hint="the entry point's value must be a module beside theme.yaml, or an attribute "
                 "holding the theme folder's path: mytheme = \"mytheme_pkg:THEME_DIR\"",
        )

    return locate


def describe_available(site_dir: Path) -> str:
    """One line for error hints: every theme a site can name, grouped by where it comes from."""
    parts = []
    for origin, by_name in find_themes(site_dir).items():
        if by_name:
            parts.append(f"{', '.join(by_name)} ({origin if origin != 'site' else 'in themes/'})")
    return "; ".join(parts) or "none"


def _key_line(path: Path, key: str) -> int | None:
    """The line `key` is written on, for pointing an error at it."""
    if not path.is_file():
        return None
    _, lines = _load_yaml(path)
    return lines.get(key)


def resolve_layers(site_dir: Path, theme: str, config_path: Path) -> tuple[Layer, ...]:
    """The site followed by its theme and every theme it extends, nearest first."""
    themes = available_themes(site_dir)
    layers = [Layer("site", site_dir)]
    name: str | None = theme
    referrer = config_path
    while name:
        key = "theme" if referrer == config_path else "extends"
        if name in (layer.name for layer in layers):
            chain = " -> ".join([layer.name for layer in layers[1:]] + [name])
            raise ConfigError(f"themes extend each other in a loop: {chain}", path=referrer,
                              line=_key_line(referrer, "extends"),
                              hint="remove 'extends' from one of them")
        source = themes.get(name) if name != "site" else None
        if source is None:
            raise ConfigError(
                f"unknown theme {name!r}",
                path=referrer,
                line=_key_line(referrer, key),
                hint=" ".join(filter(None, [
                    suggest(name, themes),
                    f"available themes: {describe_available(site_dir)}.",
                    "A theme is a folder in themes/ of the site, or an installed package "
                    f"that registers it under the entry point group {ENTRY_POINT_GROUP!r}",
                ])),
            )
        folder = _located(source, referrer, key)
        layers.append(Layer(name, folder))
        referrer = folder / THEME_FILE
        meta, _ = _load_yaml(referrer)
        parent = (meta or {}).get("extends")
        if parent is not None and not isinstance(parent, str):
            raise ConfigError("'extends' must be a theme name", path=referrer,
                              line=_key_line(referrer, "extends"))
        name = parent
    return tuple(layers)


def _located(source: ThemeSource, referrer: Path, key: str) -> Path:
    """The theme's folder; a failure points at the line that named the theme."""
    try:
        return source.folder()
    except ConfigError as exc:
        exc.path, exc.line = referrer, _key_line(referrer, key)
        raise


def _load_yaml(path: Path) -> tuple[Any, dict[str, int]]:
    """A theme.yaml (or islandgen.yaml) and the line of each key. YAML is imported here:
    the no-change exit unpickles remembered layers (settings.py) and never parses."""
    from .yamlfile import load_yaml

    return load_yaml(_read(path), path, error=ConfigError)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError("the file is not valid UTF-8", path=path,
                          hint="re-save it as UTF-8") from None
