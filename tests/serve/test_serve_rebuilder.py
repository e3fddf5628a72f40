"""The dev server's rebuilder: what it tells the console about the builds that follow a save."""

from __future__ import annotations

from pathlib import Path

from islandgen.model import BuildOptions
from islandgen.pipeline import build
from islandgen.serve.rebuild import Changes, SessionRebuilder


def test_a_page_saved_before_the_site_is_prepared_is_reported_by_the_rebuild_for_it(
        site: Path, tmp_path: Path) -> None:
    """The save lands before `prepare` reads the site, so `prepare` renders the page;
    the rebuild the watcher asks for next must still say that the save rendered it."""
    options = BuildOptions(out_dir=tmp_path / "out")
    build(site, options)  # a server's earlier run left the output up to date
    rebuilder = SessionRebuilder(site, options)
    assert rebuilder.rebuild(None).rendered == "0 pages rendered, 0 files written, 3 pages in all"

    about = site / "content/about.md"
    about.write_text(about.read_text().replace("About us.", "About the harbour."))
    rebuilder.prepare()
    assert "About the harbour." in (tmp_path / "out/about/index.html").read_text()

    first = rebuilder.rebuild(Changes(frozenset({about})))
    assert first.rendered == "1 page rendered, 1 file written, 3 pages in all"
    again = rebuilder.rebuild(Changes(frozenset({about})))  # counted once, not every time
    assert again.rendered == "0 pages rendered, 0 files written, 3 pages in all"
