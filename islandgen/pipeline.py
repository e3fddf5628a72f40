"""A site folder -> its output folder. The one place that knows the order of the stages.

Read `BuildSession.build` top to bottom: load, route, render Markdown, render
routes, emit. All rendering happens before the first byte becomes visible, so
a build that fails leaves the previous output untouched. What the last build
did (on disk in `.islandgen-cache/`, or in memory in a dev-server session)
lets a rebuild skip what did not change: documents whose files did not change
are not re-read, bodies are not re-rendered, and routes whose recorded
dependencies did not change are neither rendered nor written.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import Environment

from .cache import (
    BuildCache,
    CachedMarkdown,
    CachedRoute,
    WrittenFile,
    load_cache,
    save_cache,
    save_memo,
)
from .changes import ChangeSet, classify, input_stats, routes_reading, stamp, touched_tokens
from .client.chunks import ChunkSet
from .config import CONFIG_FILE, Config
from .content.data import DataTree, load_data
from .content.highlight import warm_lexers
from .content.links import LinkContext
from .content.markdown import render_markdown
from .content.source import find_files, load_document
from .deps import Token, digest, file_digest, recording
from .errors import ConfigError, UsageError
from .fastpath import (
    cached_result,
    has_loaders,
    output_dir,
    overrides,
    stamp_extra,
    unchanged,
    up_to_date,
)
from .fingerprints import Fingerprints
from .functions.bundle import functions_dir, write_bundle
from .functions.discover import SiteFunctions, discover_functions
from .functions.templates import ServerNamespace
from .islands.component import (
    client_components,
    collecting,
    finish_page,
    stop_collecting,
)
from .islands.site import ClientChunks, site_chunks
from .model import BuildOptions, BuildResult, Document, OutputFile, Page, RenderedMarkdown, Route, RouteReport
from .output.emit import OutputWriter, check_output_dir, intact
from .output.extras import SiteFacts, site_extras
from .output.static import StaticPlan, plan_static
from .parallel import forks, map_in_workers
from .render.components import Component, discover_components
from .render.environment import highlight_css, make_environment
from .render.loader import LayeredLoader
from .render.pages import Renderer
from .render.views import SiteState
from .routing.collections import Collections, build_collections, select_published, swap_pages
from .routing.pages import make_page
from .routing.routes import build_routes, discover_page_templates
from .settings import read_settings, site_settings
from .themes import Layer
from .version import __version__

__all__ = ["BuildOptions", "BuildSession", "build"]

Progress = Callable[[int, int], None]
T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")
TEMPLATE_FOLDERS = ("layouts", "pages", "partials")




def build(site_dir: Path, options: BuildOptions | None = None,
          progress: Progress | None = None) -> BuildResult:
    """Build the site in `site_dir` once; raise an `IslandgenError` on any problem in it."""
    options = options or BuildOptions()
    session = BuildSession(site_dir, options, once=True)
    return up_to_date(site_dir, options) or session.build(progress=progress)


@dataclass
class _Previous:
    """What the last build of a session made, kept in memory for the next one."""

    documents: dict[Path, Document]  # by absolute path
    pages: dict[int, Page]  # id(document) -> its page
    collections: Collections
    published: dict[str, Page]  # the published pages by id
    pages_key: str  # what the collections are made of: every published page's routing facts
    route_key: str
    routes: list[Route]
    template_key: str
    chunks: ClientChunks
    env: Environment
    components: dict[str, Component]
    static: StaticPlan
    readers: dict[Token, set[str]]  # token -> URLs of the routes that recorded it
    values: dict[Token, str]  # token -> its fingerprint in that build
    page_digests: dict[int, tuple[Page, str]]
    list_fingerprints: dict[Token, str]  # of the lists of pages (see Fingerprints.inherit_lists)
    page_facts: dict[int, tuple[Page, str]]  # id(page) -> (it, digest of its routing facts)
    markdown: dict[int, tuple[Document, CachedMarkdown]]  # id(document) -> it, its body
    page_urls: dict[str, str]  # source path below content/ -> URL, of the published pages
    route_keys: dict[int, tuple[Route, str, str]]  # id(route) -> (route, signature, key)
    extras: tuple[str, list[OutputFile]]  # key, the host files generated beside the pages
    reports: dict[str, tuple[CachedRoute, RouteReport]]  # url -> its report row


class BuildSession:
    """Builds one site again and again, redoing only what changed since the last build.

    `islandgen build` uses a session once (`once`: it skips keeping what only a
    next build of the session would use), with the cache on disk; the dev server
    keeps one alive and passes the paths its watcher saw change.
    """

    def __init__(self, site_dir: Path, options: BuildOptions | None = None, *,
                 once: bool = False) -> None:
        self.site_dir = site_dir
        self.options = options or BuildOptions()
        self.once = once
        self.cache: BuildCache | None = None
        self.previous: _Previous | None = None
        self.functions: SiteFunctions | None = None  # the last build's, for the dev server's dispatcher

    def build(self, changed: Collection[Path] | None = None,
              progress: Progress | None = None) -> BuildResult:
        """Build; `changed` (from a watcher) lets unchanged files go unread, even unstatted."""
        with _collector_paused():
            return self._build(changed, progress)

    def prepare(self) -> BuildResult | None:
        """Get ready for quick edits after a build that was answered from the cache.

        An up-to-date site is answered from file stats without loading it, so the first
        edit afterwards would load and fingerprint the whole site, compile the templates
        and load the lexers (0.7 s at 4,000 pages). The dev server calls this while it
        waits for that edit: a build with nothing changed, which writes only what a file
        changed meanwhile needs, and then holds what the next edit starts from. Returns
        that build (None when there was nothing to prepare) so the caller can report
        what a file saved meanwhile made it write.
        """
        if self.previous is not None or self.once:
            return None
        with _collector_paused():
            return self._build((), None, preparing=True)

    def _build(self, changed: Collection[Path] | None, progress: Progress | None, *,
               preparing: bool = False) -> BuildResult:
        started = time.perf_counter()
        site_dir, options = self.site_dir, self.options
        if not site_dir.is_dir():
            raise UsageError(f"no site folder at {site_dir}",
                             hint="pass the folder that holds islandgen.yaml")
        # remembered across builds while islandgen.yaml and the themes stand still (settings.py)
        settings = (site_settings if options.use_cache else read_settings)(site_dir, overrides(options))
        config, layers = settings.config, settings.layers
        out_dir = output_dir(site_dir, config, options)
        check_output_dir(out_dir, site_dir)
        cache = self._cache(out_dir)
        now = options.now or dt.datetime.now(dt.UTC)
        changes = classify(changed, site_dir, layers) if changed is not None else None
        # the in-memory shortcuts only hold while templates, config, data and static stand still
        previous = self.previous if changes is not None and changes.content_only else None
        functions = self.functions if previous is not None else discover_functions(site_dir, config)
        bundle_dir = functions_dir(site_dir, config, out_dir) if functions is not None else None

        # nothing changed since the last build: the output is already right
        entries = input_stats(layers) if changed is None else None  # before reading any input
        extra = stamp_extra(config, out_dir)
        inputs = stamp(entries, extra, cache.watched) if entries is not None else None
        if inputs is not None and unchanged(cache.index(), inputs, out_dir, now):
            self.functions = functions
            if bundle_dir is not None and options.write_functions:
                write_bundle(functions, bundle_dir, zip=options.functions_zip)
            return cached_result(cache.index(), out_dir, started, config.base_path, settings.notes)

        # load content; render the Markdown bodies (lists show other pages' summaries) while
        # this process builds the template world, routes the pages and compiles the templates
        content_dir = site_dir / "content"
        reread = _reread(previous, changes)
        # the input stats (made before any file was read) are the documents' stats too
        stats = {path: (mtime, size) for path, size, mtime in entries or ()}
        documents = _load_documents(content_dir, cache, previous, reread, stats)
        timezone = _timezone(config, site_dir)
        pages_memo = previous.pages if previous is not None else {}
        pages = [_page(doc, config, timezone, pages_memo) for doc in documents.values()]
        selection = select_published(pages, drafts=config.build.drafts,
                                     future=config.build.future, now=now)
        page_urls = {str(page.doc.rel): page.url for page in selection.published}
        static = _static_plan(layers, content_dir, config, previous, changes)
        if preparing and config.markdown.highlight:  # an edit should not wait for imports
            warm_lexers((page.doc.body for page in selection.published), tables=True)
        rendered: dict[str, RenderedMarkdown] = {}  # the views read bodies from here
        markdown_memo = previous.markdown if previous is not None else {}
        markdown, world = _render_markdown(
            selection.published, page_urls, config, static.urls, cache, previous, markdown_memo,
            meanwhile=lambda: _site_world(layers, site_dir, config, static, functions, previous,
                                          changes, selection.published, rendered,
                                          compile_all=preparing or not cache.routes))
        collections, chunks, components, renderer, routes, fingerprints = (
            world.collections, world.chunks, world.components, world.renderer, world.routes,
            world.fingerprints)
        rendered.update({page_id: entry.rendered for page_id, entry in markdown.items()})
        signature = digest(world.template_key, world.data)
        suspects = (_suspects(previous, changes, documents, reread, markdown, cache, world)
                    if previous is not None and changes is not None else None)
        route_keys = previous.route_keys if previous is not None else {}
        in_place = cache.out_dir == str(out_dir) and bool(cache.outputs) and out_dir.is_dir()
        writer = OutputWriter(out_dir, cache.outputs, in_place=in_place)
        document_stats = _document_stats(documents, cache, reread, stats)

        def save_memo_now() -> None:  # while workers render the routes
            if options.use_cache and changed is None:
                save_memo(site_dir, out_dir, document_stats, markdown)

        try:
            route_records, rendered_count = _render_routes(
                routes, renderer, fingerprints, signature, cache, writer, suspects=suspects,
                keys=route_keys, chunks=chunks.chunks, site_dir=site_dir, progress=progress,
                meanwhile=save_memo_now)
            _add_static(writer, static)
            extras_key, extras = _host_files(config, selection.published, routes, static, chunks,
                                             world.route_key, fingerprints, previous)
            for file in (*chunks.files, *extras):
                writer.add(str(file.path), file.data)
        except BaseException:
            writer.abort()
            raise

        # make it visible, then remember what was done
        manifest, written = writer.commit()
        reports = previous.reports if previous is not None else {}
        if bundle_dir is not None and options.write_functions:
            write_bundle(functions, bundle_dir, zip=options.functions_zip)
        self.functions = functions
        result = BuildResult(
            out_dir=out_dir,
            routes=tuple(_report(r, route_records[r.url], site_dir, reports) for r in routes),
            files_written=written,
            seconds=time.perf_counter() - started,
            skipped_drafts=len(selection.drafts),
            skipped_future=len(selection.future),
            notes=settings.notes,
            rendered=rendered_count,
            base_path=config.base_path,
        )
        next_release = min((p.date for p in selection.future if p.date), default=None)
        watched = tuple(sorted(str(path) for path in chunks.chunks.graph.modules))
        self.cache = BuildCache(
            inputs=(stamp(entries, extra, watched)
                    if entries is not None and not has_loaders(site_dir) else None),
            watched=watched,
            out_dir=str(out_dir),
            documents=document_stats,
            markdown=markdown,
            routes=route_records,
            outputs=manifest,
            result_summary={"drafts": result.skipped_drafts, "future": result.skipped_future,
                            "next_release": int(next_release.timestamp()) if next_release else 0},
        )
        if options.use_cache and changed is None:
            save_cache(site_dir, out_dir, self.cache)
        if self.once:
            return result
        readers, values = _readers(route_records, previous, cache.routes)
        self.previous = _Previous(
            documents=documents,
            pages=_pruned(pages_memo, lambda: (id(p.doc) for p in pages), len(pages)),
            collections=collections,
            published=fingerprints.pages,
            pages_key=world.pages_key,
            route_key=world.route_key,
            routes=routes,
            template_key=world.template_key,
            chunks=chunks,
            env=renderer.env,
            components=components,
            static=static,
            readers=readers,
            values=values,
            list_fingerprints=fingerprints.lists,
            page_digests=_pruned(fingerprints.page_digests,
                                 lambda: (id(p) for p in collections.pages), len(collections.pages)),
            page_facts=_pruned(world.page_facts, lambda: (id(p) for p in selection.published),
                               len(selection.published)),
            page_urls=page_urls,
            markdown=_pruned(markdown_memo, lambda: (id(p.doc) for p in selection.published),
                             len(selection.published)),
            route_keys=_pruned(route_keys, lambda: (id(route) for route in routes), len(routes)),
            extras=(extras_key, extras),
            reports=_pruned(reports, lambda: (route.url for route in routes), len(routes)),
        )
        return result

    def _cache(self, out_dir: Path) -> BuildCache:
        if self.cache is None:
            use = self.options.use_cache
            self.cache = load_cache(self.site_dir, out_dir) if use else BuildCache()
        return self.cache


# -- the steps of a build --------------------------------------------------------------------


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection during a build.

    A build allocates hundreds of thousands of objects that live until it ends
    (documents, pages, rendered HTML) and leaves little cyclic garbage, so the
    collector's passes find nothing to free while walking all of them again and
    again: 5-6 % of a 4,000-page build. It runs again once the build is over.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _SiteWorld:
    """What routes render with: built by this process while workers render Markdown bodies."""

    collections: Collections
    chunks: ClientChunks
    template_key: str
    components: dict[str, Component]
    data: DataTree
    renderer: Renderer
    page_facts: dict[int, tuple[Page, str]]
    pages_key: str
    route_key: str
    routes: list[Route]
    fingerprints: Fingerprints


def _site_world(
    layers: Sequence[Layer], site_dir: Path, config: Config, static: StaticPlan,
    functions: SiteFunctions | None, previous: _Previous | None, changes: ChangeSet | None,
    published: Sequence[Page], rendered: dict[str, RenderedMarkdown], *, compile_all: bool,
) -> _SiteWorld:
    """Collections, components and templates (compiled), site data, the routes and the
    fingerprints of what routes read.

    `rendered` is filled with the bodies afterwards; the views read them from it.
    """
    page_facts = previous.page_facts if previous is not None else {}
    pages_key = digest([_routing_facts(p, page_facts) for p in published])
    if previous is not None and previous.pages_key == pages_key:  # only bodies changed
        swaps = _swaps(previous.published, published)
        remade = {page_id: new for page_id, (_, new) in swaps.items()}
        collections = swap_pages(previous.collections, remade)
        by_id: dict[str, Page] | None = {**previous.published, **remade}
    else:
        swaps, collections, by_id = None, build_collections(published), None
    chunks, template_key, env, components = _template_world(
        layers, site_dir, config, static, functions, previous, changes)
    loader = env.loader
    assert isinstance(loader, LayeredLoader)
    data = load_data(site_dir / "data")
    state = SiteState(config, collections, rendered, data, expand=_unset)
    state.client_components = frozenset(chunks.entries)
    renderer = Renderer(env, state, components)
    state.expand = renderer.expand
    route_key = digest(template_key, pages_key)
    if previous is not None and swaps is not None and previous.route_key == route_key:
        routes = _refresh(previous.routes, swaps)
    else:
        routes = build_routes(collections, discover_page_templates(layers), config,
                              exists=lambda name: loader.find(name) is not None,
                              evaluate=renderer.evaluate)
    # compile every template now: a cold build, while workers render the bodies; a session
    # getting ready for edits, so that its first edit need not
    if compile_all:
        renderer.warm_templates(routes)
    fingerprints = Fingerprints(collections, rendered,
                                {name: c.files for name, c in components.items()},
                                previous.page_digests if previous else None, pages=by_id)
    if previous is not None and swaps is not None:
        fingerprints.inherit_lists(previous.list_fingerprints, swaps)
    fingerprints.of(("pages",))  # every page's digest, made once here, not in each route worker
    return _SiteWorld(collections, chunks, template_key, components, data, renderer,
                      page_facts, pages_key, route_key, routes, fingerprints)


def _template_world(
    layers: Sequence[Layer], site_dir: Path, config: Config, static: StaticPlan,
    functions: SiteFunctions | None, previous: _Previous | None, changes: ChangeSet | None,
) -> tuple[ClientChunks, str, Environment, dict[str, Component]]:
    """Client chunks, the templates' signature, the Jinja environment and every component.

    A session keeps the last build's when no template, component or config changed:
    Jinja's compiled templates live in the environment.
    """
    components_changed = changes is not None and bool(changes.components)
    if previous is not None and not components_changed:
        chunks = previous.chunks
    else:
        chunks = site_chunks(layers, site_dir, config, functions)
    template_key = digest(__version__, config, _template_files(layers), static.urls,
                          chunks.manifest_digest, functions.digest if functions else None)
    if previous is not None and previous.template_key == template_key and not components_changed:
        return chunks, template_key, previous.env, previous.components
    env = make_environment(layers, config, static.urls)
    env.globals["server"] = ServerNamespace(functions)
    server_components = discover_components(layers, env)
    components = {**server_components, **client_components(
        chunks.entries, chunks.chunks, server_components, layers)}
    return chunks, template_key, env, components


def _suspects(
    previous: _Previous, changes: ChangeSet, documents: Mapping[Path, Document],
    reread: Collection[Path] | None, markdown: Mapping[str, CachedMarkdown], cache: BuildCache,
    world: _SiteWorld,
) -> set[str]:
    """URLs of the routes that read something this session edit changed (only those re-render)."""
    collections, components, fingerprints = world.collections, world.components, world.fingerprints
    changed_ids = (
        _changed_page_ids(previous.documents, documents, reread)
        # bodies re-rendered because a page they link to moved
        | {page_id for page_id, entry in markdown.items()
           if cache.markdown.get(page_id) is not entry}
    )
    if previous.pages_key != world.pages_key:  # pages published or withdrawn (a date came due)
        changed_ids |= {p.id for p in previous.collections.pages} ^ {p.id for p in collections.pages}
    candidates = touched_tokens(previous.collections, collections, changed_ids,
                                _component_names({**previous.components, **components}, changes))
    return routes_reading(previous.readers, {
        token for token in candidates
        if token in previous.values and fingerprints.of(token) != previous.values[token]
    })


def _host_files(
    config: Config, pages: Sequence[Page], routes: Sequence[Route], static: StaticPlan,
    chunks: ClientChunks, route_key: str, fingerprints: Fingerprints, previous: _Previous | None,
) -> tuple[str, list[OutputFile]]:
    """Sitemap, robots, redirects and host config; a session edit that changed no page's
    metadata and no route keeps the last build's."""
    provided = frozenset({*(str(item.target) for item in static.files),
                          *(str(file.path) for file in chunks.files)})
    key = digest(route_key, fingerprints.of(("pages",)), sorted(provided))
    if previous is not None and previous.extras[0] == key:
        return key, previous.extras[1]
    return key, site_extras(SiteFacts(config, pages, routes, provided))


# -- change detection ----------------------------------------------------------------------


def _document_stats(documents: Mapping[Path, Document], cache: BuildCache,
                    reread: Collection[Path] | None, stats: Mapping[str, tuple[int, int]],
                    ) -> dict[str, tuple[int, int, Document]]:
    """For the disk cache: each document with its file's mtime and size.

    A document taken from `cache` keeps its entry: loading it compared that very
    size and mtime. A session edit that re-read only `reread` looks at only those.
    Others take their (mtime, size) from `stats`, made before any file was read,
    where it has them: 4,000 fewer stats, and a file saved while the build read it
    is read again next time rather than remembered with its new stat.
    """
    if reread is not None:
        kept = dict(cache.documents)
        for path in reread:
            doc = documents[path]
            kept[str(doc.source)] = (*_stat_key(doc.source), doc)
        return kept
    found = {}
    for doc in documents.values():
        key = str(doc.source)
        known = cache.documents.get(key)
        if known is None or known[2] is not doc:
            known = (*(stats.get(key) or _stat_key(doc.source)), doc)
        found[key] = known
    return found


def _stat_key(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _template_files(layers: Sequence[Layer]) -> list[tuple[str, str]]:
    """Every layout, page template and partial, by content: the templates all routes share."""
    files: list[tuple[str, str]] = []
    for layer in layers:
        for folder in TEMPLATE_FOLDERS:
            root = layer.path / folder
            if root.is_dir():
                files.extend((str(p), file_digest(p.read_bytes()))
                             for p in sorted(root.rglob("*")) if p.is_file())
    return files


def _changed_page_ids(before: Mapping[Path, Document], after: Mapping[Path, Document],
                      reread: Collection[Path] | None) -> set[str]:
    """Pages whose document is new, re-read or gone (only re-read: when `reread` says which)."""
    if reread is not None:
        return {str(after[path].rel.with_suffix("")) for path in reread}
    ids = {str(doc.rel.with_suffix("")) for path, doc in after.items() if before.get(path) is not doc}
    ids |= {str(doc.rel.with_suffix("")) for path, doc in before.items() if path not in after}
    return ids


def _component_names(components: Mapping[str, Component], changes: ChangeSet) -> set[str]:
    """Components (of this build or the last: a deleted one counts) with a changed file."""
    return {name for name, c in components.items()
            if any(path.absolute() in changes.components for path in c.files)}


def _pruned(memo: dict[K, V], live: Callable[[], Iterable[K]], count: int) -> dict[K, V]:
    """A session's memo, cut down to the `count` keys of this build once enough others pile up.

    Memos gain an entry for each object an edit re-made (a page, its document, its
    route). Cutting them down on every build cost a one-page rebuild 10 ms at 4,000
    pages; waiting until they hold a quarter more makes it rare, and bounds the dead
    objects they hold (keeping them keeps their ids from being reused).
    """
    if len(memo) <= count + count // 4 + 64:
        return memo
    return {key: memo[key] for key in live() if key in memo}


def _readers(
    records: Mapping[str, CachedRoute], previous: _Previous | None, before: Mapping[str, CachedRoute]
) -> tuple[dict[Token, set[str]], dict[Token, str]]:
    """Which routes read each token, and the token's fingerprint when they did.

    A session updates the last build's index with the routes that re-rendered.
    """
    if previous is None:
        readers: dict[Token, set[str]] = {}
        values: dict[Token, str] = {}
        changed: Iterable[tuple[str, CachedRoute]] = records.items()
    else:
        readers, values = previous.readers, previous.values
        changed = [(url, r) for url, r in records.items() if before.get(url) is not r]
        for url in [*(url for url, _ in changed), *(url for url in before if url not in records)]:
            for token in before[url].deps if url in before else ():
                readers.get(token, set()).discard(url)
    for url, record in changed:
        for token, value in record.deps.items():
            readers.setdefault(token, set()).add(url)
            values[token] = value
    return readers, values


# -- stages ------------------------------------------------------------------------------


def _reread(previous: _Previous | None, changes: ChangeSet | None) -> Collection[Path] | None:
    """The content files a session edit re-reads when it reads no others: the watcher
    reported only files the last build had (edited, not added or removed)."""
    if previous is None or changes is None:
        return None
    known = previous.documents
    if all(path in known and path.is_file() for path in changes.content):
        return changes.content
    return None


def _load_documents(
    content_dir: Path, cache: BuildCache, previous: _Previous | None,
    reread: Collection[Path] | None, stats: Mapping[str, tuple[int, int]],
) -> dict[Path, Document]:
    """Parse content files, by absolute path; an unchanged file reuses its cached parse.

    Without a watcher, "unchanged" means same (mtime, size), taken from `stats` where
    it has the file. With one, files it did not report are not even looked at, unless
    files were added or removed.
    """
    if previous is not None and reread is not None:
        documents = dict(previous.documents)  # in the same order: edited files keep their place
        documents.update((path, load_document(path, content_dir)) for path in reread)
        return documents
    found: dict[Path, Document | None] = {}
    for path in find_files(content_dir, (".md",)):
        cached = cache.documents.get(str(path))
        found[path] = (cached[2] if cached is not None
                       and cached[:2] == (stats.get(str(path)) or _stat_key(path)) else None)
    todo = [path for path, doc in found.items() if doc is None]
    # ~0.07 ms a file (YAML, mostly): a fork is worth it from a few hundred files
    loaded = map_in_workers(lambda path: load_document(path, content_dir), todo, per_process=500)
    found.update(zip(todo, loaded, strict=True))
    return {path.absolute(): doc for path, doc in found.items() if doc is not None}


def _page(doc: Document, config: Config, timezone: ZoneInfo, memo: dict[int, Page]) -> Page:
    """The page of a document; an unchanged document object keeps its page object.

    `memo` (id(document) -> its page) is the session's; new pages are added.
    """
    page = memo.get(id(doc))
    if page is None or page.doc is not doc:
        page = memo[id(doc)] = make_page(doc, config, timezone)
    return page


def _routing_facts(page: Page, known: dict[int, tuple[Page, str]]) -> str:
    """A digest of what routing reads of a page: if none changed, neither did the routes.

    `known` keeps each page's digest by id for the session's next build, where
    unchanged pages are the very same objects (held, so their ids stay unique).
    """
    kept = known.get(id(page))
    if kept is None or kept[0] is not page:
        kept = known[id(page)] = (page, digest(
            page.id, page.url, page.title, page.date, page.weight, page.tags, page.section,
            page.is_index, page.layout, page.draft,
            sorted(page.meta.items(), key=lambda item: str(item[0]))))  # `paths` reads any key
    return kept[1]


def _swaps(last: Mapping[str, Page], published: Sequence[Page]) -> dict[str, tuple[Page, Page]]:
    """The pages this build re-made, by id: the last build's object and this build's.

    Only for builds that publish the same pages as the last (`last`, by id).
    """
    return {page.id: (last[page.id], page) for page in published if last[page.id] is not page}


def _refresh(routes: list[Route], swaps: Mapping[str, tuple[Page, Page]]) -> list[Route]:
    """The last build's routes, pointing at this build's objects for the re-made pages."""
    # by the old object's id: the last build holds those objects, so their ids are theirs
    replacing = {id(old): new for old, new in swaps.values()}
    refreshed: list[Route] = []
    for route in routes:
        if route.page is not None and id(route.page) in replacing:
            route = replace(route, page=replacing[id(route.page)])
        if route.pager is not None and not replacing.keys().isdisjoint(map(id, route.pager.items)):
            items = tuple(replacing.get(id(item), item) for item in route.pager.items)
            route = replace(route, pager=replace(route.pager, items=items))
        refreshed.append(route)
    return refreshed


def _static_plan(layers: Sequence[Layer], content_dir: Path, config: Config,
                 previous: _Previous | None, changes: ChangeSet | None) -> StaticPlan:
    """Static files to copy; a content-only change that adds no file reuses the last plan."""
    if previous is not None and changes is not None and all(
        path in previous.documents for path in changes.content
    ):
        return previous.static
    return plan_static(layers, content_dir, generated=highlight_css(config))


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
    pages: Sequence[Page],
    page_urls: dict[str, str],
    config: Config,
    asset_urls: dict[str, str],
    cache: BuildCache,
    previous: _Previous | None,
    memo: dict[int, tuple[Document, CachedMarkdown]],
    meanwhile: Callable[[], T],
) -> tuple[dict[str, CachedMarkdown], T]:
    """Every published body as HTML, cached when its text and its link targets are unchanged,
    and what `meanwhile()` returned: it runs in this process while workers render.

    `memo` (id(document) -> it, its body) is the session's: the bodies of documents
    seen before are found by identity, without hashing them; new ones are added.
    """
    urls_unchanged = previous is not None and previous.page_urls == page_urls
    assets = frozenset(asset_urls)
    options_key = digest(config.markdown, config.base_path, config.trailing_slash, sorted(assets))
    result: dict[str, CachedMarkdown] = {}
    todo: list[tuple[Page, str | None]] = []
    remembered: list[Page] = []  # pages whose body is not in `memo` yet

    def body_key(page: Page) -> str:
        return digest(options_key, page.doc.body, page.doc.rel, page.doc.body_line, page.summary)

    for page in pages:
        known = memo.get(id(page.doc))
        kept = known[1] if known is not None and known[0] is page.doc else None
        if kept is not None and cache.markdown.get(page.id) is kept and (urls_unchanged or all(
            page_urls.get(target) == url for target, url in kept.linked.items()
        )):
            result[page.id] = kept  # the very same document as last time: no need to hash it
            continue
        remembered.append(page)
        cached = cache.markdown.get(page.id)
        if cached is None:
            todo.append((page, None))  # nothing to compare with: its worker works out its key
            continue
        key = body_key(page)
        if cached.key == key and all(
            page_urls.get(target) == url for target, url in cached.linked.items()
        ):
            result[page.id] = cached
        else:
            todo.append((page, key))

    def render(item: tuple[Page, str | None]) -> CachedMarkdown:
        page, key = item
        ctx = LinkContext(source=page.source, rel=page.doc.rel, body_line=page.doc.body_line,
                          base_path=config.base_path, page_urls=page_urls, asset_paths=assets,
                          trailing_slash=config.trailing_slash)
        rendered = render_markdown(page.doc.body, ctx, config.markdown)
        if page.summary is not None:  # front matter summary: Markdown too, like the body
            line = page.doc.meta_lines.get("summary", 1)
            summary_ctx = replace(ctx, body_line=line, calls=[])
            summary = render_markdown(page.summary, summary_ctx, config.markdown).html.strip()
            rendered = replace(rendered, summary=summary)
        return CachedMarkdown(key=key or body_key(page), linked=ctx.linked, rendered=rendered)

    # the lexers are not loaded here for the workers to inherit: compiling their rules (~50 ms)
    # would hold up the fork, and each worker compiles the few it meets beside the other's work
    made: list[T] = []
    rendered = map_in_workers(render, todo, meanwhile=lambda: made.append(meanwhile()))
    for (page, _), entry in zip(todo, rendered, strict=True):
        result[page.id] = entry
    for page in remembered:
        memo[id(page.doc)] = (page.doc, result[page.id])
    return {page.id: result[page.id] for page in pages}, made[0]


def _render_routes(
    routes: Sequence[Route],
    renderer: Renderer,
    fingerprints: Fingerprints,
    signature: str,
    cache: BuildCache,
    writer: OutputWriter,
    *,
    suspects: set[str] | None,
    keys: dict[int, tuple[Route, str, str]],
    chunks: ChunkSet,
    site_dir: Path,
    progress: Progress | None,
    meanwhile: Callable[[], object],
) -> tuple[dict[str, CachedRoute], int]:
    """Render the routes whose dependencies changed; keep the others' files as they are.
    Returns every route's record and how many rendered.

    `suspects`, when known, are the only routes that can have changed besides
    new ones: the session knows nothing else was touched since it wrote them.
    `meanwhile()` runs while workers render.
    """
    records: dict[str, CachedRoute] = {}
    todo: list[tuple[Route, str | None]] = []
    for route in routes:
        cached = cache.routes.get(route.url)
        if not writer.in_place or cached is None:
            todo.append((route, None))  # nothing to compare with: its worker works out its key
            continue
        memo = keys.get(id(route))
        if memo is None or memo[0] is not route or memo[1] != signature:
            memo = keys[id(route)] = (route, signature, _route_key(signature, route))
        key = memo[2]
        if cached.key == key and (
            (suspects is not None and route.url not in suspects)
            or (
                all(fingerprints.of(token) == value for token, value in cached.deps.items())
                and intact(writer.out_dir, cached.output, cache.outputs.get(cached.output))
            )
        ):
            records[route.url] = cached
            for path in (cached.output, *cached.extras):
                writer.keep(path)
        else:
            todo.append((route, key))
    base_path = renderer.state.config.base_path
    gzipped = chunks.gzip_sizes()
    if forks(len(todo)):
        renderer.warm_templates(routes)

    def render(item: tuple[Route, str | None]) -> tuple[Sequence[tuple[str, bytes | WrittenFile]],
                                                        CachedRoute]:
        """Runs in a worker: a fresh build writes the files there, sparing the trip back;
        the fingerprints of what the route read, and its cache record, are made there too."""
        route, key = item
        islands, token = collecting()
        try:
            with recording() as tokens:
                html = renderer.render(route)
        finally:
            stop_collecting(token)
        if route.page is not None:
            tokens |= {("page", route.page.id), ("content", route.page.id)}
        extras: tuple[OutputFile, ...] = ()
        count, js = 0, 0  # islands, first-load JS bytes
        if route.output.suffix == ".html":  # a feed showing a post with an island gets no scripts
            html, extras = finish_page(html, islands, chunks, base_path)
            count, js = islands.count, sum(gzipped.get(url, 0) for url in islands.first_load(chunks))
        files = [(str(route.output), html.encode("utf-8")),
                 *((str(extra.path), extra.data) for extra in extras)]
        record = CachedRoute(key=key or _route_key(signature, route),
                             deps={token: fingerprints.of(token) for token in sorted(tokens)},
                             output=files[0][0], size=len(files[0][1]),
                             source=_display(route.source, site_dir),
                             extras=tuple(path for path, _ in files[1:]),
                             islands=count, first_load_js=js)
        if writer.writes_now:
            return [(path, writer.write_now(path, data)) for path, data in files], record
        return files, record

    rendered = zip(todo, map_in_workers(render, todo, progress, meanwhile), strict=True)
    for (route, known_key), (outputs, record) in rendered:
        if known_key is None:
            keys[id(route)] = (route, signature, record.key)
        for path, output in outputs:
            if isinstance(output, WrittenFile):
                writer.add_written(path, output)
            else:
                writer.add(path, output)
        records[route.url] = record
    return records, len(todo)


def _route_key(signature: str, route: Route) -> str:
    pager = None
    if route.pager is not None:
        items = [getattr(item, "id", item) for item in route.pager.items]
        pager = (route.pager.number, route.pager.urls, [str(i) for i in items])
    return digest(signature, route.url, route.kind, route.template, route.section,
                  route.page.id if route.page else None, sorted(route.params.items()),
                  repr(route.props), pager)


def _add_static(writer: OutputWriter, static: StaticPlan) -> None:
    """Static files: generated ones by content, copied ones by their file's size and mtime."""
    for item in static.files:
        if item.data is not None:
            writer.add(str(item.target), item.data)
        else:
            assert item.source is not None
            stat = item.source.stat()
            writer.copy(str(item.target), item.source,
                        digest(str(item.source), stat.st_size, stat.st_mtime_ns))


def _report(route: Route, record: CachedRoute, site_dir: Path,
            known: dict[str, tuple[CachedRoute, RouteReport]]) -> RouteReport:
    """The route's row of the build report; an unchanged record keeps its row."""
    kept = known.get(route.url)
    if kept is not None and kept[0] is record:
        return kept[1]
    report = RouteReport(route.url, _display(route.source, site_dir), record.size, record.islands,
                         record.first_load_js)
    known[route.url] = (record, report)
    return report


def _display(source: Path, site_dir: Path) -> str:
    """A route's source as the report shows it: relative to the site when inside it."""
    text, prefix = source.as_posix(), site_dir.as_posix().rstrip("/") + "/"
    return text.removeprefix(prefix)


def _unset(*_args: object) -> str:
    raise RuntimeError("views were used before the renderer was ready")
