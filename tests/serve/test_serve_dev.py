"""The dev server as a user meets it: start, edit files, see the served site follow."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from serving import Reply, Server, edit, poll, stylesheet_url
from sitefiles import write_files


def has(text: str, status: int = 200) -> Callable[[Reply], bool]:
    return lambda reply: reply.status == status and text in reply.text


def test_serves_the_site_with_the_reload_client(dev_server: Server, site: Path) -> None:
    home = dev_server.get()
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert home.headers["cache-control"] == "no-store"
    assert '<p class="greeting">Hello World</p>' in home.text
    assert "data-islandgen-build=" in home.text
    assert home.text.index("data-islandgen-build") < home.text.index("</body>")
    css = dev_server.raw(stylesheet_url(home.text))
    assert css.status == 200 and css.headers["content-type"] == "text/css; charset=utf-8"
    assert "islandgen" not in css.text
    assert dev_server.get("about").status == 301
    assert dev_server.get("about").headers["location"] == "/about/"


def test_never_writes_the_sites_dist_folder(dev_server: Server, site: Path) -> None:
    dist = site / "dist"
    assert not dist.exists()
    edit(site / "content/about.md", "About us.", "About them.")
    poll(lambda: dev_server.get("about/"), has("About them."))
    assert not dist.exists()


def test_missing_pages_get_the_404_page(dev_server: Server) -> None:
    reply = dev_server.get("no/such/page/")
    assert reply.status == 404
    assert "Nothing here" in reply.text and "data-islandgen-build" in reply.text


def test_content_edit_is_served(dev_server: Server, site: Path) -> None:
    edit(site / "content/about.md", "About us.", "About the harbour.")
    poll(lambda: dev_server.get("about/"), has("<p>About the harbour.</p>"))
    line = poll(lambda: dev_server.process.output, lambda out: "content/about.md changed" in out)
    assert re.search(r"rebuilt in \d+\.\d\d s: \d+ pages? rendered, \d+ files? written, 3 pages in all "
                     r"\(content/about.md changed\)", line)


def test_component_edit_is_served(dev_server: Server, site: Path) -> None:
    edit(site / "components/Greeting.html", "Hello {{ name }}", "Ahoy {{ name }}")
    poll(dev_server.get, has('<p class="greeting">Ahoy World</p>'))


def test_theme_layout_edit_is_served(dev_server: Server, site: Path) -> None:
    edit(site / "themes/tiny/layouts/page.html", "<h1>", '<h1 class="title">')
    poll(lambda: dev_server.get("about/"), has('<h1 class="title">About</h1>'))


def test_a_new_site_layout_overrides_the_theme(dev_server: Server, site: Path) -> None:
    write_files(site, {"layouts/page.html": """
        {% extends "layouts/base.html" %}
        {% block content %}<h2>{{ page.title }} (site layout)</h2>{% endblock %}
        """})
    poll(lambda: dev_server.get("about/"), has("<h2>About (site layout)</h2>"))


def test_config_edit_is_served(dev_server: Server, site: Path) -> None:
    edit(site / "islandgen.yaml", "title: Serve test", "title: Renamed site")
    poll(lambda: dev_server.get("about/"), has("<footer>Renamed site</footer>"))


def test_static_css_edit_is_served(dev_server: Server, site: Path) -> None:
    edit(site / "static/css/site.css", "rgb(0, 0, 128)", "rgb(200, 0, 0)")

    def stylesheet() -> Reply:
        return dev_server.raw(stylesheet_url(dev_server.get().text))

    poll(stylesheet, has("rgb(200, 0, 0)"))


def test_config_base_path_moves_the_site(dev_server: Server, site: Path) -> None:
    edit(site / "islandgen.yaml", "title: Serve test", "title: Serve test\nbase_path: /docs/")
    poll(lambda: dev_server.raw("/docs/about/"), has("<h1>About</h1>"))
    assert dev_server.raw("/").headers.get("location") == "/docs/"
    assert dev_server.raw("/about/").status == 404


def test_deleted_page_and_folder_come_back(dev_server: Server, site: Path) -> None:
    about = site / "content/about.md"
    saved = about.read_text(encoding="utf-8")
    about.unlink()
    poll(lambda: dev_server.get("about/"), lambda reply: reply.status == 404)
    about.write_text(saved, encoding="utf-8")
    poll(lambda: dev_server.get("about/"), has("<h1>About</h1>"))

    shutil.rmtree(site / "components")  # index.md uses ::Greeting: now a build error
    poll(dev_server.get, has("unknown component", status=500))
    write_files(site, {"components/Greeting.html": "{% props name %}\n<b>Back, {{ name }}</b>\n"})
    poll(dev_server.get, has("<b>Back, World</b>"))


def test_syntax_error_shows_the_error_page_then_recovers(dev_server: Server, site: Path) -> None:
    layout = site / "themes/tiny/layouts/page.html"
    edit(layout, "{{ page.title }}", "{{ page.title }")
    reply = poll(lambda: dev_server.get("about/"), has("Build error", status=500))
    assert "themes/tiny/layouts/page.html:2" in reply.text
    assert "template syntax error" in reply.text
    assert '<span class="error-line">&gt; 2 |' in reply.text  # the bad line, marked
    assert "{% extends" in reply.text  # ...with the lines around it
    assert "data-islandgen-build" in reply.text  # so fixing it reloads the page
    assert dev_server.get("no/such/page/").status == 500  # every page shows it
    home = dev_server.get()
    assert home.status == 500
    assert "themes/tiny/layouts/page.html:2" in dev_server.process.errors

    edit(layout, "{{ page.title }", "{{ page.title }}")
    poll(lambda: dev_server.get("about/"), has("<h1>About</h1>"))
    poll(lambda: dev_server.process.output, lambda out: "error fixed" in out)


def test_broken_first_build_still_serves_the_error_page(
        site: Path, start_server: Callable[..., Server]) -> None:
    edit(site / "content/about.md", "title: About", "title: [About")
    server = start_server(str(site))
    reply = server.get("about/")
    assert reply.status == 500
    assert "content/about.md:" in reply.text and "invalid YAML" in reply.text
    edit(site / "content/about.md", "title: [About", "title: About")
    poll(lambda: server.get("about/"), has("<h1>About</h1>"))


def test_events_stream_announces_builds(dev_server: Server) -> None:
    reply = dev_server.raw("/_islandgen/events", method="HEAD")
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/event-stream; charset=utf-8"


def test_two_servers_of_one_site_and_clean_stops(
        dev_server: Server, site: Path, start_server: Callable[..., Server]) -> None:
    serve = site / ".islandgen-cache" / "serve"
    assert (serve / "server.pid").is_file()
    second = start_server(str(site))  # builds into a folder of its own
    assert "<h1>About</h1>" in second.get("about/").text
    assert len([folder for folder in serve.iterdir() if folder.name.isdigit()]) == 1
    assert second.process.stop() == 0  # SIGTERM
    assert not [folder for folder in serve.iterdir() if folder.name.isdigit()]
    assert dev_server.process.stop() == 0
    assert not (serve / "server.pid").exists()
    assert (serve / "dist" / "index.html").is_file()  # kept, so the next start is quick


def test_a_restarted_server_serves_edits_from_its_up_to_date_output(
        site: Path, start_server: Callable[..., Server]) -> None:
    """The second start finds its output up to date and loads the site only after serving."""
    assert start_server(str(site)).process.stop() == 0
    server = start_server(str(site))
    edit(site / "content/about.md", "About us.", "About the harbour.")
    poll(lambda: server.get("about/"), has("<p>About the harbour.</p>"))
    line = poll(lambda: server.process.output, lambda out: "content/about.md changed" in out)
    assert "1 page rendered, 1 file written, 3 pages in all" in line
    assert "<h1>About</h1>" in server.get("about/").text


def test_drafts_flag(site: Path, start_server: Callable[..., Server]) -> None:
    write_files(site, {"content/draft.md": "---\ntitle: Secret\ndraft: true\n---\nsoon\n"})
    assert start_server(str(site)).get("draft/").status == 404
    assert start_server(str(site), "--drafts").get("draft/").status == 200


def test_site_without_config_or_theme_files_is_served(
        tmp_path: Path, start_server: Callable[..., Server]) -> None:
    write_files(tmp_path / "bare", {"content/index.md": "---\ntitle: Bare\n---\nJust text.\n"})
    server = start_server(str(tmp_path / "bare"))
    assert "Just text." in server.get().text
