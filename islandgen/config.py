"""islandgen.yaml -> a validated, typed `Config`.

Every key is optional. The schema is the dataclasses below: an unknown key or a
value of the wrong type is an error naming the key, its line and the closest
valid key, never a silent default.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args, get_origin

from .errors import ConfigError, suggest

CONFIG_FILE = "islandgen.yaml"


@dataclass(frozen=True)
class MarkdownConfig:
    """How Markdown bodies become HTML."""

    highlight: bool = True  # Pygments for fenced code
    highlight_style: str = "friendly"  # Pygments style for light mode
    highlight_style_dark: str = "monokai"  # ... and for prefers-color-scheme: dark
    anchors: bool = True  # heading ids with a '#' permalink
    toc_depth: int = 3  # deepest heading level listed in page.toc
    typographer: bool = False  # smart quotes and dashes
    html: bool = True  # raw HTML in Markdown passes through


@dataclass(frozen=True)
class BuildConfig:
    """Where and what to build."""

    output: str = "dist"
    drafts: bool = False
    future: bool = False  # publish pages dated in the future
    pagination: int = 10  # items per page in section and tag lists
    timezone: str = "UTC"  # for dates written without an offset
    minify: bool = True  # minify client chunks


@dataclass(frozen=True)
class FunctionsConfig:
    """Server functions: where the bundle goes and who may call them."""

    output: str = "dist-functions"  # the bundle folder, relative to the site; never inside build.output
    origin: str = ""  # e.g. https://fn.example.com when functions live on their own origin (enables CORS)
    allowed_origins: tuple[str, ...] = ()  # other origins whose pages may call them (the site's is implied)
    max_body: int = 1024 * 1024  # bytes; a larger request gets 413


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


@dataclass(frozen=True)
class Config:
    """The whole site configuration. Field comments are the user documentation."""

    title: str = "My islandgen site"
    description: str = ""
    author: str = ""
    language: str = "en"
    base_url: str = ""  # https://example.com, for absolute URLs in feeds and meta tags
    base_path: str = "/"  # serve the site below a subpath, e.g. /myrepo/
    trailing_slash: bool = True  # /blog/hi/ (dist/blog/hi/index.html); false: /blog/hi (blog/hi.html)
    theme: str = "default"
    nav: tuple[NavItem, ...] = ()  # header navigation; defaults to the site's sections
    permalinks: dict[str, str] = field(default_factory=dict)  # section -> '/:year/:slug/'
    markdown: MarkdownConfig = field(default_factory=MarkdownConfig)
    build: BuildConfig = field(default_factory=BuildConfig)
    params: dict[str, Any] = field(default_factory=dict)  # free-form values for themes
    import_map: dict[str, str] = field(default_factory=dict)  # bare import -> vendored file
    functions: FunctionsConfig = field(default_factory=FunctionsConfig)

    def __post_init__(self) -> None:
        base = "/" + self.base_path.strip("/") + "/" if self.base_path.strip("/") else "/"
        object.__setattr__(self, "base_path", base)
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))


def load_config(site_dir: Path, overrides: dict[str, Any] | None = None) -> Config:
    """Read `islandgen.yaml` from the site folder (absent means all defaults)."""
    path = site_dir / CONFIG_FILE
    raw: Any = {}
    lines: dict[str, int] = {}
    if path.is_file():
        from .yamlfile import load_yaml  # here: the no-change exit unpickles configs, never parses

        text = _read_text(path)
        raw, lines = load_yaml(text, path, error=ConfigError)
        raw = raw if raw is not None else {}
        if not isinstance(raw, dict):
            raise ConfigError("the config must be a mapping of keys to values", path=path, line=1)
    config = typing.cast(Config, _build(Config, raw, path, lines, prefix=""))
    if overrides:
        config = dataclasses.replace(
            config, build=dataclasses.replace(config.build, **overrides)
        )
    return config


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise ConfigError("the file is not UTF-8", path=path, hint="save it as UTF-8") from exc


def _build(cls: type, raw: dict[Any, Any], path: Path, lines: dict[str, int], prefix: str) -> Any:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        line = lines.get(dotted)
        if key not in names:
            raise ConfigError(
                f"unknown config key {dotted!r}",
                path=path,
                line=line,
                hint=suggest(str(key), names) or f"valid keys here: {', '.join(names)}",
            )
        values[key] = _coerce(hints[key], value, dotted, path, line, lines)
    try:
        return cls(**values)
    except TypeError:  # a required field (of a nav item) is missing
        required = [f.name for f in dataclasses.fields(cls)
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
        missing = [name for name in required if name not in values]
        where = prefix.rstrip(".") or "config"
        raise ConfigError(f"{where} needs {', '.join(repr(m) for m in missing)}", path=path,
                          line=lines.get(where.split("[")[0]),
                          hint=f"write each entry with {', '.join(required)}") from None


def _coerce(
    expected: Any, value: Any, key: str, path: Path, line: int | None, lines: dict[str, int]
) -> Any:
    """Check `value` against a field type; nested dataclasses are built recursively."""
    if dataclasses.is_dataclass(expected) and isinstance(expected, type):
        if not isinstance(value, dict):
            raise _type_error(key, "a mapping", value, path, line)
        return _build(expected, value, path, lines, prefix=f"{key}.")
    origin = get_origin(expected)
    if origin is tuple:
        item_type = get_args(expected)[0]
        if not isinstance(value, list):
            raise _type_error(key, "a list", value, path, line)
        return tuple(
            _coerce(item_type, v, f"{key}[{i}]", path, line, lines) for i, v in enumerate(value)
        )
    if origin is dict:
        if not isinstance(value, dict):
            raise _type_error(key, "a mapping", value, path, line)
        value_type = get_args(expected)[1]
        return {k: _coerce(value_type, v, f"{key}.{k}", path, lines.get(f"{key}.{k}", line), lines)
                for k, v in value.items()}
    if origin in (typing.Union, types.UnionType):
        return value
    if expected is Any:
        return value
    if expected is int and (isinstance(value, bool) or not isinstance(value, int)):
        raise _type_error(key, "a whole number", value, path, line)
    if expected is bool and not isinstance(value, bool):
        raise _type_error(key, "true or false", value, path, line)
    if expected is str and not isinstance(value, str):
        raise _type_error(key, "a string", value, path, line)
    return value


def _type_error(key: str, wanted: str, value: Any, path: Path, line: int | None) -> ConfigError:
    return ConfigError(
        f"config key {key!r} must be {wanted}, not {type(value).__name__} ({value!r})",
        path=path,
        line=line,
    )
