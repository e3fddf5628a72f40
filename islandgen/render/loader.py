"""Template names -> template source, looked up through the site and theme layers.

`layouts/base.html` is found in the nearest layer that has it; `default:layouts/base.html`
names one theme explicitly, so an override can extend the file it replaces.
Front matter at the top of a page template is turned into a Jinja comment so
the template's line numbers still match the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path

from jinja2 import BaseLoader, Environment, TemplateNotFound

from ..content.source import read_text
from ..errors import TemplateError
from ..themes import Layer

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)


class LayeredLoader(BaseLoader):
    """Finds a template in the first layer that has it (site, theme, parent theme...)."""

    def __init__(self, layers: Sequence[Layer]) -> None:
        self.layers = tuple(layers)
        self._by_name = {layer.name: layer for layer in layers if layer.is_theme}

    def find(self, name: str) -> Path | None:
        """The file a template name resolves to, or None."""
        theme, sep, rest = name.partition(":")
        if sep and theme in self._by_name:
            candidates: Sequence[Layer] = (self._by_name[theme],)
            name = rest
        else:
            candidates = self.layers
        if ".." in name.split("/"):
            return None
        for layer in candidates:
            path = layer.path / name
            if path.is_file():
                return path
        return None

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        path = self.find(template)
        if path is None:
            raise TemplateNotFound(template)
        source = read_text(path, TemplateError)
        mtime = path.stat().st_mtime_ns
        return hide_front_matter(source), str(path), lambda: path.stat().st_mtime_ns == mtime

    def list_templates(self) -> list[str]:
        names: set[str] = set()
        for layer in self.layers:
            for folder in ("layouts", "pages", "partials", "components"):
                root = layer.path / folder
                if root.is_dir():
                    names.update(p.relative_to(layer.path).as_posix() for p in root.rglob("*") if p.is_file())
        return sorted(names)


def hide_front_matter(source: str) -> str:
    """Wrap leading YAML front matter in a Jinja comment, keeping every line in place."""
    match = _FRONT_MATTER.match(source)
    if not match:
        return source
    block = match.group(0)
    newline = "\n" if block.endswith("\n") else ""
    comment = "{#" + block.removesuffix("\n").replace("#}", "# }") + "#}"
    return comment + newline + source[match.end() :]
