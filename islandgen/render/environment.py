"""Site layers and config -> the Jinja environment every template renders in.

Strict by default: an undefined name is an error at its template line. The
filters and globals here are the whole API theme authors have beyond the views.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping, MutableMapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment, StrictUndefined, Template, select_autoescape
from jinja2.runtime import Context
from jinja2.utils import missing
from markupsafe import Markup
from pygments.formatters import HtmlFormatter
from pygments.styles import get_all_styles
from pygments.util import ClassNotFound

from ..config import CONFIG_FILE, Config
from ..content.links import LinkContext
from ..content.markdown import render_markdown
from ..errors import ConfigError, TemplateError, suggest
from ..htmlrefs import rewrite_urls
from ..routing.urls import public_url
from ..themes import Layer
from .components import PropsExtension
from .loader import LayeredLoader
from .location import call_site


class SiteUndefined(StrictUndefined):
    """StrictUndefined whose messages name things as templates see them ('page', 'site')."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint or self._undefined_obj is missing:
            return str(super()._undefined_message)
        owner = getattr(type(self._undefined_obj), "template_name", None)
        if owner is None:
            return str(super()._undefined_message)
        if owner == "page" and isinstance(self._undefined_name, str):
            return f"page has no attribute or front matter key {self._undefined_name!r}"
        return f"{owner} has no attribute {self._undefined_name!r}"


class SiteTemplate(Template):
    """A Jinja template whose new render contexts copy its globals at C speed.

    Jinja layers a template's own globals over the environment's in a ChainMap
    and copies that, key by key in Python, into each new context, twice (the
    context's variables, then the set of global names): a quarter of the time
    of rendering a small component, and every page renders several. Merging the
    layers as plain dicts gives the same context, with the same globals.
    """

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> Context:
        if shared or locals:
            return super().new_context(vars, shared, locals)
        layers: Sequence[MutableMapping[str, Any]] = (
            self.globals.maps if isinstance(self.globals, ChainMap) else [self.globals])
        merged: dict[str, Any] = {}
        for layer in reversed(layers):  # the first layer wins, as in the ChainMap
            merged.update(layer)
        return self.environment.context_class(self.environment, {**merged, **(vars or {})},
                                              self.name, self.blocks, globals=merged)


def make_environment(
    layers: Sequence[Layer], config: Config, asset_urls: Mapping[str, str]
) -> Environment:
    """A Jinja environment that finds templates through the layers."""
    env = Environment(
        loader=LayeredLoader(layers),
        undefined=SiteUndefined,
        autoescape=select_autoescape(["html", "htm", "xml", "jinja", "svg"]),
        extensions=[PropsExtension],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        cache_size=-1,
    )
    env.template_class = SiteTemplate
    href = functools.partial(_href, config.base_path, config.trailing_slash)
    env.filters.update(
        url=href,
        absolute_url=lambda url: str(url) if "://" in str(url) else config.base_url + href(url),
        date=_format_date,
        isodate=_isodate,
        markdown=functools.partial(_markdown, config),
        absolutize_urls=functools.partial(_absolutize_urls, config.base_url + config.base_path),
        in_section=_in_section,
        top_sections=_top_sections,
    )
    # every page asks for the same few assets: each answer is worked out once per build
    env.globals["asset"] = functools.lru_cache(maxsize=1024)(
        functools.partial(_asset, asset_urls, href))
    return env


def _href(base_path: str, trailing_slash: bool, url: object) -> str:
    """'/about/' -> '/myrepo/about/' (or '/myrepo/about' on a site without trailing slashes);
    URLs with a scheme or already based pass through."""
    text = str(url)
    if not text.startswith("/") or text.startswith("//"):
        return text
    base = base_path.rstrip("/")
    if base and (text == base + "/" or text.startswith(base + "/")):
        return text
    return base + public_url(text, trailing_slash)


def _asset(asset_urls: Mapping[str, str], href: Callable[[str], str], path: str) -> str:
    key = str(PurePosixPath(path.lstrip("/")))
    url = asset_urls.get(key)
    if url is None:
        site = call_site()
        raise TemplateError(
            f"asset({path!r}): no such file in static/",
            path=site.path,
            line=site.line,
            hint="put the file in static/ of the site or theme, path relative to static/",
        )
    return href(url)


@functools.lru_cache(maxsize=2048)  # one post appears in the site, section and tag feeds
def _absolutize_urls(site_root: str, html: str, base: str | None = None) -> Markup:
    """Every URL in `html` resolved against `base` (default: the site's root URL).

    For HTML leaving the site (feed entries): `#part`, `img.png` and `/x/` mean
    nothing in a feed reader, so `{{ post.content | absolutize_urls(post.permalink) }}`.
    """
    return Markup(rewrite_urls(str(html), functools.partial(urljoin, base or site_root)))


def _in_section(pages: Iterable[Any], path: str) -> list[Any]:
    """The pages in section `path` or below it: `site.pages | in_section("blog")`."""
    return [p for p in pages if p.section == path or p.section.startswith(path + "/")]


def _top_sections(pages: Iterable[Any]) -> list[str]:
    """The top-level sections these pages are in, sorted: `site.pages | top_sections`."""
    return sorted({p.section.split("/")[0] for p in pages if p.section})


def _format_date(value: dt.date | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value is not None else ""


def _isodate(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""


def _markdown(config: Config, text: str) -> Markup:
    ctx = LinkContext(
        source=Path("<markdown filter>"),
        rel=PurePosixPath("index.md"),
        body_line=1,
        base_path=config.base_path,
        page_urls={},
    )
    return Markup(render_markdown(str(text), ctx, config.markdown).html)


def highlight_css(config: Config) -> dict[str, bytes]:
    """css/highlight.css for `pre.highlight`: the light style, the dark one under its media query.

    Served as a hashed static file (`asset('css/highlight.css')`) rather than
    inlined, so browsers fetch it once for the whole site.
    """
    if not config.markdown.highlight:
        return {}
    light = _style_defs(config.markdown.highlight_style)
    dark = _style_defs(config.markdown.highlight_style_dark)
    css = f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}\n"
    return {"css/highlight.css": css.encode("utf-8")}


def _style_defs(style: str) -> str:
    try:
        formatter: Any = HtmlFormatter(style=style)  # pygments' stubs leave get_style_defs untyped
    except ClassNotFound:
        raise ConfigError(
            f"unknown highlight style {style!r}",
            path=CONFIG_FILE,
            hint=suggest(style, get_all_styles()) or "see https://pygments.org/styles/",
        ) from None
    return str(formatter.get_style_defs("pre.highlight"))
