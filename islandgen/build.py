"""A site folder -> its output folder. The one place that knows the order of the stages.

Read it top to bottom: load, route, render, emit. Everything is gathered and
rendered in memory before the first byte is written, and the output folder is
swapped in whole, so a build that fails leaves the previous output untouched.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .config import CONFIG_FILE, Config, load_config
from .content.data import load_data
from .content.links import LinkContext
from .content.markdown import render_markdown
from .content.source import find_files, load_document
from .errors import ConfigError, UsageError
from .model import BuildResult, OutputFile, Page, RenderedMarkdown, Route, RouteReport
from .output.emit import check_output_dir, write_output
from .output.static import plan_static
from .render.components import discover_components
from .render.environment import highlight_css, make_environment
from .render.loader import LayeredLoader
from .render.pages import Renderer
from .render.views import SiteState
from .routing.collections import build_collections, select_published
from .routing.pages import make_page
from .routing.routes import build_routes, discover_page_templates
from .themes import resolve_layers

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BuildOptions:
    """What the command line may change about a build."""

    out_dir: Path | None = None
    drafts: bool | None = None  # None: as the config says
    future: bool | None = None
    now: dt.datetime | None = None  # 'today' for future-dated pages; tests pin it


def build(site_dir: Path, options: BuildOptions = BuildOptions(),
          progress: Progress | None = None) -> BuildResult:
    """Build the site in `site_dir`; raise an `IslandgenError` on any problem in it."""
    started = time.perf_counter()
    if not site_dir.is_dir():
        raise UsageError(f"no site folder at {site_dir}", hint="pass the folder that holds islandgen.yaml")
    config = load_config(site_dir, _overrides(options))
    out_dir = options.out_dir or site_dir / config.build.output
    check_output_dir(out_dir, site_dir)
    layers = resolve_layers(site_dir, config.theme, site_dir / CONFIG_FILE)

    # load content and route it
    content_dir = site_dir / "content"
    documents = [load_document(path, content_dir) for path in find_files(content_dir, (".md",))]
    timezone = _timezone(config, site_dir)
    pages = [make_page(doc, config, timezone) for doc in documents]
    now = options.now or dt.datetime.now(dt.UTC)
    selection = select_published(pages, drafts=config.build.drafts, future=config.build.future, now=now)
    collections = build_collections(selection.published)
    static = plan_static(layers, content_dir, generated=highlight_css(config))

    # the template world: environment, components, views
    env = make_environment(layers, config, static.urls)
    loader = env.loader
    assert isinstance(loader, LayeredLoader)
    rendered: dict[str, RenderedMarkdown] = {}
    state = SiteState(config, collections, rendered, load_data(site_dir / "data"), expand=_unset)
    renderer = Renderer(env, state, discover_components(layers, env))
    state.expand = renderer.expand
    routes = build_routes(
        collections,
        discover_page_templates(layers),
        config,
        exists=lambda name: loader.find(name) is not None,
        evaluate=renderer.evaluate,
    )

    # render: Markdown bodies first (list pages show other pages' summaries), then routes
    rendered.update(_render_markdown(selection.published, config, static.urls))
    outputs = _render_routes(routes, renderer, progress)

    files_written = write_output(out_dir, outputs, static.files)
    return BuildResult(
        out_dir=out_dir,
        routes=tuple(
            RouteReport(r.url, _display(r.source, site_dir), len(o.data))
            for r, o in zip(routes, outputs, strict=True)
        ),
        files_written=files_written,
        seconds=time.perf_counter() - started,
        skipped_drafts=len(selection.drafts),
        skipped_future=len(selection.future),
    )


def _overrides(options: BuildOptions) -> dict[str, object]:
    overrides: dict[str, object] = {}
    if options.drafts is not None:
        overrides["drafts"] = options.drafts
    if options.future is not None:
        overrides["future"] = options.future
    return overrides


def _timezone(config: Config, site_dir: Path) -> ZoneInfo:
    try:
        return ZoneInfo(config.build.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"unknown time zone {config.build.timezone!r}",
            path=site_dir / CONFIG_FILE,
            hint="use an IANA name such as UTC or Europe/Paris",
        ) from None


def _render_markdown(
    pages: Sequence[Page], config: Config, asset_urls: dict[str, str]
) -> dict[str, RenderedMarkdown]:
    page_urls = {str(page.doc.rel): page.url for page in pages}
    assets = frozenset(asset_urls)
    result: dict[str, RenderedMarkdown] = {}
    for page in pages:
        ctx = LinkContext(
            source=page.source,
            rel=page.doc.rel,
            body_line=page.doc.body_line,
            base_path=config.base_path,
            page_urls=page_urls,
            asset_paths=assets,
        )
        result[page.id] = render_markdown(page.doc.body, ctx, config.markdown)
    return result


def _render_routes(
    routes: Sequence[Route], renderer: Renderer, progress: Progress | None
) -> list[OutputFile]:
    outputs: list[OutputFile] = []
    for done, route in enumerate(routes, start=1):
        html = renderer.render(route)
        outputs.append(OutputFile(route.output, html.encode("utf-8")))
        if progress is not None:
            progress(done, len(routes))
    return outputs


def _display(source: Path, site_dir: Path) -> str:
    try:
        return str(PurePosixPath(source.relative_to(site_dir).as_posix()))
    except ValueError:
        return source.as_posix()


def _unset(*_args: object) -> str:
    raise RuntimeError("views were used before the renderer was ready")
