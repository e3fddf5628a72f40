"""Theme name -> the chain of folders templates and static files are looked up in.

The site folder comes first, then its theme, then the theme that one extends,
so a site overrides any theme file by relative path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError, suggest
from .yamlfile import load_yaml

THEME_FILE = "theme.yaml"


@dataclass(frozen=True)
class Layer:
    """One folder in the lookup chain: the site itself or a theme."""

    name: str  # 'site' for the site folder, else the theme name
    path: Path

    @property
    def is_theme(self) -> bool:
        return self.name != "site"


def bundled_themes_dir() -> Path:
    """Themes that ship with islandgen: inside the wheel, or at the top of a checkout."""
    installed = Path(__file__).parent / "_themes"
    return installed if installed.is_dir() else Path(__file__).parent.parent / "themes"


def available_themes(site_dir: Path) -> dict[str, Path]:
    """Theme name -> folder; the site's own themes/ shadows bundled ones of the same name."""
    found: dict[str, Path] = {}
    for root in (bundled_themes_dir(), site_dir / "themes"):
        if root.is_dir():
            for folder in sorted(root.iterdir()):
                if (folder / THEME_FILE).is_file():
                    found[folder.name] = folder
    return found


def _key_line(path: Path, key: str) -> int | None:
    """The line `key` is written on, for pointing an error at it."""
    if not path.is_file():
        return None
    _, lines = load_yaml(path.read_text(encoding="utf-8"), path, error=ConfigError)
    return lines.get(key)


def resolve_layers(site_dir: Path, theme: str, config_path: Path) -> tuple[Layer, ...]:
    """The site followed by its theme and every theme it extends, nearest first."""
    themes = available_themes(site_dir)
    layers = [Layer("site", site_dir)]
    name: str | None = theme
    referrer = config_path
    while name:
        if name in (layer.name for layer in layers):
            chain = " -> ".join([layer.name for layer in layers[1:]] + [name])
            raise ConfigError(f"themes extend each other in a loop: {chain}", path=referrer,
                              line=_key_line(referrer, "extends"),
                              hint="remove 'extends' from one of them")
        folder = themes.get(name)
        if folder is None:
            listing = ", ".join(sorted(themes)) or "none"
            key = "theme" if referrer == config_path else "extends"
            raise ConfigError(
                f"unknown theme {name!r}",
                path=referrer,
                line=_key_line(referrer, key),
                hint=" ".join(filter(None, [suggest(name, themes), f"available themes: {listing}"])),
            )
        layers.append(Layer(name, folder))
        referrer = folder / THEME_FILE
        meta, _ = load_yaml(referrer.read_text(encoding="utf-8"), referrer, error=ConfigError)
        parent = (meta or {}).get("extends")
        if parent is not None and not isinstance(parent, str):
            raise ConfigError("'extends' must be a theme name", path=referrer)
        name = parent
    return tuple(layers)
