"""A `Route` -> its HTML: the template context, the layout, and Markdown components.

Errors raised while rendering are turned into `TemplateError`s that point at
the template line (or the Markdown line of a `::Component(...)`) responsible.
"""

from __future__ import annotations

import contextlib
import re
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, UndefinedError
from jinja2.environment import TemplateExpression
from markupsafe import Markup

from ..deps import record
from ..errors import ComponentError, IslandgenError, TemplateError, suggest
from ..model import ComponentCall, Page, Pager, RenderedMarkdown, Route
from .components import Component
from .loader import LayeredLoader
from .location import CallSite, markdown_call_site, traceback_site
from .views import PageView, SiteState, SiteView, TemplatePageView


@dataclass(frozen=True)
class PagerView:
    """`pager` in templates: a `Pager` with page views and based URLs."""

    items: list[Any]
    number: int
    total_pages: int
    total_items: int
    urls: list[str]
    url: str
    prev_url: str | None
    next_url: str | None


class Renderer:
    """Renders routes of one build; holds the environment and the shared views."""

    def __init__(self, env: Environment, state: SiteState, components: Mapping[str, Component]):
        self.env = env
        self.state = state
        self.components = components
        self.site = SiteView(state)
        self._expressions: dict[str, TemplateExpression] = {}
        self._warm = False
        env.globals.update(components)
        env.globals["site"] = self.site

    def render(self, route: Route) -> str:
        """The HTML (or XML, text...) of one route."""
        context = self._context(route)
        try:
            template = self.env.get_template(route.template)
            return template.render(context)
        except IslandgenError:
            raise
        except TemplateSyntaxError as exc:
            raise TemplateError(
                f"template syntax error: {exc.message}",
                path=exc.filename or route.source,
                line=exc.lineno,
            ) from None
        except TemplateNotFound as exc:
            site = traceback_site(exc)
            raise TemplateError(
                f"template {exc.name!r} not found",
                path=site.path or route.source,
                line=site.line,
                hint=f"no file {exc.name} in the site or its themes (names are paths from the "
                "site folder, like layouts/base.html, or theme:layouts/base.html)",
            ) from None
        except UndefinedError as exc:
            site = traceback_site(exc)
            raise TemplateError(
                f"{exc.message}",
                path=site.path or route.source,
                line=site.line,
                hint=self._undefined_hint(exc.message or "", context),
            ) from None
        except Exception as exc:
            site = traceback_site(exc)
            raise TemplateError(
                f"{type(exc).__name__} while rendering {route.url}: {exc}",
                path=site.path or route.source,
                line=site.line,
            ) from exc

    def _undefined_hint(self, message: str, context: Mapping[str, Any]) -> str:
        match = re.match(r"'(\w+)' is undefined", message)
        if match:
            known = [*self.env.globals, *context]
            close = suggest(match.group(1), known)
            if close:
                return close
        return ("check the spelling; guard optional values with {% if x is defined %} "
                "or page.meta.get('key')")

    def warm_templates(self, routes: Iterable[Route]) -> None:
        """Compile, once, every template by the name renders use (the routes' page
        templates, layouts, partials, components), so forked render workers inherit them
        compiled. (`theme:name`, an override naming the file it replaces, compiles when
        first used.)

        A template that does not compile is left for the render that uses it to report.
        """
        if self._warm:
            return
        self._warm = True
        loader = self.env.loader
        assert isinstance(loader, LayeredLoader)
        names = {route.template for route in routes}
        names.update(name for name in loader.list_templates()
                     if not name.startswith(("components/", "pages/")))
        names.update(name for component in self.components.values()
                     for name in component.templates())
        for name in sorted(names):
            with contextlib.suppress(Exception):
                self.env.get_template(name)

    def _expression(self, expression: str) -> TemplateExpression:
        """Compiled once per renderer: `paginate` runs the same expression for every tag."""
        compiled = self._expressions.get(expression)
        if compiled is None:
            compiled = self._expressions[expression] = self.env.compile_expression(
                expression, undefined_to_none=False)
        return compiled

    def evaluate(
        self, expression: str, extra: Mapping[str, Any], path: Path, line: int | None
    ) -> Any:
        """Evaluate a front matter expression (`paths`, `paginate`) with `site` in scope."""
        try:
            compiled = self._expression(expression)
            return _records(compiled(site=self.site, **extra))
        except TemplateSyntaxError as exc:
            raise TemplateError(f"cannot read the expression {expression!r}: {exc.message}",
                                path=path, line=line) from None
        except IslandgenError:
            raise
        except Exception as exc:
            raise TemplateError(f"the expression {expression!r} failed: {exc}",
                                path=path, line=line) from None

    def expand(self, html: str, rendered: RenderedMarkdown, page: PageView) -> str:
        """Replace the markers of `::Component(...)` lines with the components' HTML."""
        for call in rendered.components:
            if call.marker in html:
                html = html.replace(call.marker, self._call(call, rendered, page), 1)
        return html

    def _call(self, call: ComponentCall, rendered: RenderedMarkdown, page: PageView) -> str:
        source = page.source_file
        site = CallSite(source, call.line)
        component = self.components.get(call.name)
        if component is None:
            raise ComponentError(
                f"unknown component {call.name!r}",
                path=source,
                line=call.line,
                hint=suggest(call.name, self.components)
                or f"components are files in components/; known: {', '.join(sorted(self.components))}",
            )
        try:
            collect = self.env.compile_expression(f"__ig_args({call.arguments})")
        except TemplateSyntaxError as exc:
            raise ComponentError(
                f"cannot read the props of {call.name}: {exc.message}",
                path=source,
                line=call.line,
                hint='write them like Jinja keyword arguments: ::Card(title="Hi", count=3)',
            ) from None
        token = markdown_call_site.set(site)
        try:
            args, kwargs = typing.cast(
                tuple[tuple[Any, ...], dict[str, Any]],
                collect(__ig_args=_collect_args, page=page, site=self.site),
            )
            children = self.expand(call.children_html, rendered, page)
            caller = (lambda: Markup(children)) if call.has_children else None
            return str(component(*args, caller=caller, **kwargs))
        except IslandgenError:
            raise
        except Exception as exc:
            raise ComponentError(f"{call.name}: {type(exc).__name__}: {exc}",
                                 path=source, line=call.line) from exc
        finally:
            markdown_call_site.reset(token)

    def _context(self, route: Route) -> dict[str, Any]:
        state = self.state
        context: dict[str, Any] = {"params": route.params, "props": route.props}
        if route.page is not None:
            page: PageView | TemplatePageView = state.page(route.page)
        else:
            meta = route.meta
            title = str(meta.get("title") or (
                state.section(route.section).title if route.section is not None else ""
            ))
            page = TemplatePageView(meta, state.href(route.url), title)
        context.update(page=page, content=page.content, toc=page.toc)
        if route.section is not None:
            context["section"] = state.section(route.section)
        if route.pager is not None:
            context["pager"] = self._pager(route.pager)
        return context

    def _pager(self, pager: Pager) -> PagerView:
        href = self.state.href
        items = [self.state.page(i) if isinstance(i, Page) else i for i in pager.items]
        for item in items:  # shown on this route: it depends on them (views record themselves)
            if isinstance(item, PageView):
                record(("page", item.id))
        return PagerView(
            items=items,
            number=pager.number,
            total_pages=pager.total_pages,
            total_items=pager.total_items,
            urls=[href(u) for u in pager.urls],
            url=href(pager.url),
            prev_url=href(pager.prev_url) if pager.prev_url else None,
            next_url=href(pager.next_url) if pager.next_url else None,
        )


def _records(value: Any) -> Any:
    """Page views in a list (or a generator: `selectattr`) become their pages: routes
    outlive the views of one build."""
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return value
    items = list(value)
    if any(isinstance(v, PageView) for v in items):
        return [v.page_record if isinstance(v, PageView) else v for v in items]
    return items


def _collect_args(*args: Any, **kwargs: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    return args, kwargs
