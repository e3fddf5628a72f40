"""Pages, page templates and sections -> every `Route` of the site, each URL claimed once.

Explicit sources (content files, the site's own page templates) must not share
a URL: that is an error naming both. Fallbacks (theme page templates, generated
section lists, the 404 page) quietly give way to an explicit source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..config import Config
from ..content.source import read_text, split_front_matter
from ..errors import ContentError, RouteError
from ..model import Page, Pager, Route
from ..themes import Layer
from .collections import Collections
from .urls import file_url, join_url, page_number_url

_PARAM = re.compile(r"\[([A-Za-z_]\w*)\]")
TEMPLATE_PAGE_SUFFIXES = (".html", ".xml", ".txt", ".json", ".jinja")

Evaluate = Callable[[str, Mapping[str, Any], Path, int | None], Any]
TemplateExists = Callable[[str], bool]


@dataclass(frozen=True)
class PageTemplate:
    """A file in pages/: a route (or, with [params], many routes) rendered by Jinja."""

    name: str  # template name for the loader
    source: Path
    rel: PurePosixPath  # relative to pages/
    meta: Mapping[str, Any]
    meta_lines: Mapping[str, int]
    from_theme: bool

    @property
    def params(self) -> list[str]:
        return _PARAM.findall(str(self.rel))


def discover_page_templates(layers: Sequence[Layer]) -> list[PageTemplate]:
    """pages/ of the site and themes; a nearer layer's file hides a farther one's."""
    seen: dict[PurePosixPath, PageTemplate] = {}
    for layer in layers:
        root = layer.path / "pages"
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            rel = PurePosixPath(path.relative_to(root).as_posix())
            if rel in seen or not path.is_file() or path.suffix not in TEMPLATE_PAGE_SUFFIXES:
                continue
            if any(part.startswith((".", "_")) for part in rel.parts):
                continue
            meta, lines, _, _ = split_front_matter(read_text(path), path)
            name = f"pages/{rel}"
            seen[rel] = PageTemplate(
                name=f"{layer.name}:{name}" if layer.is_theme else name,
                source=path,
                rel=rel,
                meta=meta,
                meta_lines=lines,
                from_theme=layer.is_theme,
            )
    return [seen[rel] for rel in sorted(seen)]


def build_routes(
    collections: Collections,
    templates: Sequence[PageTemplate],
    config: Config,
    exists: TemplateExists,
    evaluate: Evaluate,
) -> list[Route]:
    """Every route of the site, sorted by URL."""
    claimed: dict[str, Route] = {}
    explicit = [
        *_content_routes(collections, config, exists),
        *(r for t in templates if not t.from_theme for r in _template_routes(t, config, evaluate)),
    ]
    for route in explicit:
        other = claimed.get(route.url)
        if other is not None:
            raise RouteError(
                f"two sources produce the URL {route.url}: {other.source} and {route.source}",
                path=route.source,
                hint="give one of them a different slug or permalink",
            )
        claimed[route.url] = route
    fallbacks = [
        *(r for t in templates if t.from_theme for r in _template_routes(t, config, evaluate)),
        *_section_routes(collections, config, claimed),
        *_not_found_route(exists),
    ]
    for route in fallbacks:
        claimed.setdefault(route.url, route)
    ordered = sorted(claimed.values(), key=lambda r: r.url)
    if not config.trailing_slash:
        ordered = [replace(route, trailing_slash=False) for route in ordered]
    return ordered


def layout_for(page: Page, exists: TemplateExists) -> str:
    """The layout template of a content page (see docs/templates.md for the order)."""
    if page.layout:
        name = f"layouts/{page.layout}.html"
        if not exists(name):
            raise ContentError(
                f"layout {page.layout!r} does not exist (no {name} in the site or theme)",
                path=page.source,
                line=page.doc.meta_lines.get("layout"),
                hint="create the file, or remove 'layout' to use the default",
            )
        return name
    if page.is_index and not page.section:
        return "layouts/home.html"
    if page.is_index:
        return "layouts/list.html"
    top = page.section.split("/")[0]
    if top and exists(f"layouts/{top}.html"):
        return f"layouts/{top}.html"
    return "layouts/post.html" if page.date is not None else "layouts/page.html"


def _content_routes(
    collections: Collections, config: Config, exists: TemplateExists
) -> Iterator[Route]:
    for page in collections.pages:
        template = layout_for(page, exists)
        section = collections.sections.get(page.section) if page.is_index and page.section else None
        if section is None:
            yield Route(url=page.url, kind="content", source=page.source, template=template, page=page)
            continue
        for pager in paginate(section.pages, config.build.pagination, page.url):
            yield Route(
                url=pager.url,
                kind="content",
                source=page.source,
                template=template,
                page=page,
                pager=pager,
                section=section.path,
            )


def _section_routes(
    collections: Collections, config: Config, claimed: Mapping[str, Route]
) -> Iterator[Route]:
    """A list page for every folder without an index.md, unless something else has its URL."""
    for path, section in collections.sections.items():
        if not path or section.index is not None or section.url in claimed:
            continue
        for pager in paginate(section.pages, config.build.pagination, section.url):
            yield Route(
                url=pager.url,
                kind="section",
                source=Path("content", path),
                template="layouts/list.html",
                pager=pager,
                section=path,
            )


def _not_found_route(exists: TemplateExists) -> Iterator[Route]:
    if exists("layouts/404.html"):
        yield Route(url="/404.html", kind="template", source=Path("layouts/404.html"),
                    template="layouts/404.html", from_theme=True)


def _template_routes(template: PageTemplate, config: Config, evaluate: Evaluate) -> Iterator[Route]:
    for params, props in _expand_paths(template, evaluate):
        url = _template_url(template.rel, params)
        expression = template.meta.get("paginate")
        if expression is None:
            yield Route(url=url, kind="template", source=template.source, template=template.name,
                        params=params, props=props, meta=template.meta,
                        from_theme=template.from_theme)
            continue
        items = evaluate(str(expression), {"params": params, "props": props}, template.source,
                         template.meta_lines.get("paginate"))
        per_page = _per_page(template, config)
        for pager in paginate(list(items), per_page, url):
            yield Route(url=pager.url, kind="template", source=template.source,
                        template=template.name, params=params, props=props, meta=template.meta,
                        pager=pager, from_theme=template.from_theme)


def _expand_paths(
    template: PageTemplate, evaluate: Evaluate
) -> Iterator[tuple[dict[str, str], dict[str, Any]]]:
    names = template.params
    expression = template.meta.get("paths")
    line = template.meta_lines.get("paths")
    if not names:
        if expression is not None:
            raise RouteError("'paths' is given but the file name has no [param]",
                             path=template.source, line=line,
                             hint="name the file like pages/tags/[tag].html")
        yield {}, {}
        return
    if expression is None:
        raise RouteError(
            f"dynamic route needs 'paths' in its front matter to know its {', '.join(names)} values",
            path=template.source,
            line=1,
            hint="add front matter such as: paths: site.tags",
        )
    items = evaluate(str(expression), {}, template.source, line)
    for item in _iterate(items, template, line):
        yield _params_of(item, names, template, line)


def _iterate(items: Any, template: PageTemplate, line: int | None) -> Iterable[Any]:
    if isinstance(items, Mapping):
        return list(items.keys())
    if isinstance(items, str) or not isinstance(items, Iterable):
        raise RouteError(f"'paths' must give a list, not {type(items).__name__}",
                         path=template.source, line=line)
    return list(items)


def _params_of(
    item: Any, names: list[str], template: PageTemplate, line: int | None
) -> tuple[dict[str, str], dict[str, Any]]:
    if isinstance(item, Mapping):
        missing = [n for n in names if n not in item]
        if missing:
            raise RouteError(f"a 'paths' item has no {missing[0]!r}: {dict(item)!r}",
                             path=template.source, line=line)
        params = {n: str(item[n]) for n in names}
        return params, {k: v for k, v in item.items() if k not in names}
    if len(names) != 1 or not isinstance(item, str | int):
        raise RouteError(
            f"a 'paths' item must be a mapping with {', '.join(names)}, not {item!r}",
            path=template.source,
            line=line,
        )
    return {names[0]: str(item)}, {}


def _template_url(rel: PurePosixPath, params: Mapping[str, str]) -> str:
    text = _PARAM.sub(lambda m: params[m.group(1)].replace("/", "-"), str(rel))
    path = PurePosixPath(text)
    if path.suffix in (".xml", ".txt", ".json") or path.name == "404.html":
        return file_url(path)
    stem = path.with_suffix("")
    segments = list(stem.parent.parts) + ([] if stem.name == "index" else [stem.name])
    return join_url(*[s for s in segments if s != "."])


def _per_page(template: PageTemplate, config: Config) -> int:
    value = template.meta.get("per_page", config.build.pagination)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RouteError(f"'per_page' must be a whole number above 0, not {value!r}",
                         path=template.source, line=template.meta_lines.get("per_page"))
    return value


def paginate(items: Sequence[Any], per_page: int, first_url: str) -> Iterator[Pager]:
    """Slices of `items`; always at least one (possibly empty) page."""
    total = max(1, -(-len(items) // per_page))
    urls = tuple(page_number_url(first_url, n) for n in range(1, total + 1))
    for number in range(1, total + 1):
        start = (number - 1) * per_page
        yield Pager(
            items=tuple(items[start : start + per_page]),
            number=number,
            total_pages=total,
            total_items=len(items),
            urls=urls,
        )

