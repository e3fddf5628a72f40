"""The site and its routes -> the files a host expects beside the pages.

(sitemap.xml, robots.txt, redirects for aliases, host config files.) Pages
themselves never depend on these, so they are generated after rendering,
from the same records, and are always consistent with the routes.

Each extra is a small function in `EXTRAS`; a file the site already provides
(its own `static/robots.txt` or `static/_redirects`) is left to the site.
Paths inside `_redirects` and `_headers` are as the host serving `dist/` sees
them (hosts that read those files serve `dist/` at their root); URLs that a
browser follows (redirect targets) carry the base path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath
from urllib.parse import unquote

from ..config import Config
from ..errors import ContentError
from ..model import OutputFile, Page, Route
from ..routing.urls import encode_path, public_url

SITEMAP = "sitemap.xml"
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class SiteFacts:
    """What the extras may read: the config, every published page, every route.

    `provided`: output paths something else already writes (static files,
    island chunks); an extra never replaces one of them.
    """

    config: Config
    pages: Sequence[Page]
    routes: Sequence[Route]
    provided: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Alias:
    """An old URL of a page (front matter `aliases`) that redirects to it."""

    url: str  # site-relative and encoded, '/old/path/'
    page: Page

    @property
    def output(self) -> PurePosixPath:
        """The file a host serves at the alias: '/old/' -> old/index.html."""
        path = unquote(self.url).strip("/")
        if self.url.endswith("/"):
            return PurePosixPath(path, "index.html") if path else PurePosixPath("index.html")
        return PurePosixPath(path)


Extra = Callable[[SiteFacts], Iterator[OutputFile]]


def site_extras(facts: SiteFacts) -> list[OutputFile]:
    """Every extra file, sorted by path; a site's own (`pages/sitemap.xml`, a static file) wins."""
    taken = facts.provided | {str(route.output) for route in facts.routes}
    files = [f for extra in EXTRAS for f in extra(facts) if str(f.path) not in taken]
    return sorted(files, key=lambda f: str(f.path))


def notes(config: Config) -> list[str]:
    """What the extras left out and why, for the build summary and `islandgen check`."""
    if config.base_url:
        return []
    return ["no base_url in islandgen.yaml: sitemap.xml is not written and feeds, canonical "
            "links and Open Graph tags use site-relative URLs; set base_url: https://your.host"]


# -- sitemap and robots ---------------------------------------------------------------------


def sitemap(facts: SiteFacts) -> Iterator[OutputFile]:
    """Every indexable HTML route with its absolute URL; lastmod from `updated`, else `date`.

    Without base_url there is nothing absolute to write, so there is no sitemap
    (`notes` says so) rather than one that search engines reject.
    """
    if not facts.config.base_url:
        return
    rows = []
    for route in facts.routes:
        if not indexable(route):
            continue
        row = f"  <url><loc>{escape(absolute(facts.config, route.url), quote=False)}</loc>"
        lastmod = route.page.updated if route.page is not None else None
        if lastmod is not None:
            row += f"<lastmod>{lastmod.isoformat()}</lastmod>"
        rows.append(row + "</url>\n")
    body = "".join(rows)
    yield _text(SITEMAP, '<?xml version="1.0" encoding="UTF-8"?>\n'
                         '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                         f"{body}</urlset>\n")


def indexable(route: Route) -> bool:
    """An HTML page meant for search engines: not the 404 page, a draft or `noindex: true`."""
    if not route.url.endswith(("/", ".html")) or route.url == "/404.html":
        return False
    meta = route.page.meta if route.page is not None else route.meta
    draft = route.page.draft if route.page is not None else bool(meta.get("draft"))
    return not draft and meta.get("noindex") is not True


def robots(facts: SiteFacts) -> Iterator[OutputFile]:
    """Allow everything; point at the sitemap when there is one."""
    text = "User-agent: *\nAllow: /\n"
    if facts.config.base_url:
        text += f"\nSitemap: {absolute(facts.config, '/' + SITEMAP)}\n"
    yield _text("robots.txt", text)


# -- redirects ------------------------------------------------------------------------------


def redirect_pages(facts: SiteFacts) -> Iterator[OutputFile]:
    """An HTML page at each alias: meta refresh, canonical and a link work on any host."""
    for alias in aliases(facts):
        yield _text(str(alias.output), redirect_html(facts.config, alias))


def redirect_html(config: Config, alias: Alias) -> str:
    """The stub: canonical is absolute (for search engines), the refresh and the link are
    site paths, so a preview or staging host redirects to itself, not to production."""
    canonical = escape(absolute(config, alias.page.url), quote=True)
    target = escape(site_path(config, alias.page.url), quote=True)
    title = escape(alias.page.title)
    return (
        "<!doctype html>\n"
        f'<html lang="{escape(config.language, quote=True)}">\n'
        '<head>\n<meta charset="utf-8">\n'
        f"<title>Redirecting to {title}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n'
        "</head>\n<body>\n"
        f'<p>This page has moved to <a href="{target}">{title}</a>.</p>\n'
        "</body>\n</html>\n"
    )


def redirects_file(facts: SiteFacts) -> Iterator[OutputFile]:
    """`_redirects` (Netlify, Cloudflare Pages): a real 301 where the host supports it."""
    found = aliases(facts)
    if found:
        lines = [f"{a.url} {site_path(facts.config, a.page.url)} 301\n" for a in found]
        yield _text("_redirects", "".join(lines))


def aliases(facts: SiteFacts) -> list[Alias]:
    """Every page's `aliases`, checked: site paths, none taken by a route or another alias."""
    taken = {route.url: route for route in facts.routes}
    seen: dict[str, Alias] = {}
    for page in facts.pages:
        for url in _alias_urls(page):
            alias = Alias(url, page)
            route = taken.get(url)
            other = seen.get(url)
            if route is not None or other is not None or str(alias.output) in facts.provided:
                owner = (_route_source(route) if route else
                         f"content/{other.page.doc.rel}" if other else "a file in static/")
                raise _alias_error(page, f"alias {url} is also the URL of {owner}",
                                   "remove the alias, or give the other page another URL")
            seen[url] = alias
    return [seen[url] for url in sorted(seen)]


def _alias_urls(page: Page) -> list[str]:
    value = page.meta.get("aliases")
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise _alias_error(page, f"front matter 'aliases' must be a list of paths, not {value!r}",
                           "write aliases: [/old/path/]")
    urls = []
    for item in items:
        if not item.startswith("/") or item.startswith("//") or ".." in item.split("/"):
            raise _alias_error(page, f"alias {item!r} must be a path on this site, like /old/path/",
                               "write it from the site root, without the base path or a host")
        path = item.split("#")[0].split("?")[0]
        if not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            path += "/"  # served like the page it replaces: /old/path/index.html
        urls.append(encode_path(path))
    return urls


def _route_source(route: Route) -> str:
    """The file behind a route as the user knows it: content/blog/hi.md, pages/about.html."""
    if route.page is not None:
        return f"content/{route.page.doc.rel}"
    parts = route.source.parts
    for folder in ("pages", "layouts"):
        if folder in parts:
            index = len(parts) - 1 - parts[::-1].index(folder)
            return "/".join(parts[index:])
    return str(route.source)


def _alias_error(page: Page, message: str, hint: str) -> ContentError:
    return ContentError(message, path=page.source, line=page.doc.meta_lines.get("aliases"),
                        hint=hint)


# -- host configuration ---------------------------------------------------------------------


def headers_file(facts: SiteFacts) -> Iterator[OutputFile]:
    """`_headers` (Netlify, Cloudflare Pages): island chunks are content-hashed, cache forever."""
    yield _text("_headers", f"/_islands/*\n  Cache-Control: {IMMUTABLE}\n")


def nojekyll(facts: SiteFacts) -> Iterator[OutputFile]:
    """GitHub Pages would hide `_islands/` (leading underscore) from a Jekyll build."""
    yield OutputFile(PurePosixPath(".nojekyll"), b"")


EXTRAS: tuple[Extra, ...] = (sitemap, robots, redirect_pages, redirects_file, headers_file,
                             nojekyll)


# -- helpers --------------------------------------------------------------------------------


def absolute(config: Config, url: str) -> str:
    """A site URL as a browser anywhere reaches it: base_url (if any) + base path + url."""
    return config.base_url + site_path(config, url)


def site_path(config: Config, url: str) -> str:
    """A site URL as links on the site spell it: base path, trailing slash as configured."""
    return config.base_path.rstrip("/") + public_url(url, config.trailing_slash)


def _text(path: str, text: str) -> OutputFile:
    return OutputFile(PurePosixPath(path), text.encode("utf-8"))
