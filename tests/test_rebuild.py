"""Rebuilds: a second build of a changed site equals a clean build of it.

islandgen keeps a build cache and rewrites only what changed; whatever it
skips, the result must be exactly what a fresh build of the same files gives.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from islandgen import pipeline
from islandgen.errors import IslandgenError
from islandgen.model import Document

SITE = {
    "islandgen.yaml": "title: Rebuilds\n",
    "content/index.md": "# Home\n\nSee the [first post](blog/one.md).\n",
    "content/blog/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [a]\n---\nFirst.\n",
    "content/blog/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [a, b]\n---\nSecond.\n",
    "content/blog/three.md": "---\ntitle: Three\ndate: 2024-03-01\n---\n::Note(text=\"hi\")\n",
    "components/Note.html": "{% props text %}<p class=\"note\">{{ text }}</p>\n",
    "data/team.yaml": "lead: Ann\n",
    "pages/team.html": (
        "{% extends 'layouts/base.html' %}{% block content %}"
        "<p class=\"lead\">{{ site.data.team.lead }}</p>{% endblock %}\n"
    ),
    "static/css/extra.css": "p { margin: 0; }\n",
}

EDITS = [
    pytest.param({"content/blog/one.md": "---\ntitle: Uno\ndate: 2024-01-01\ntags: [a]\n---\n"},
                 id="retitle-a-post"),
    pytest.param({"content/blog/one.md": "---\ntitle: One\ndate: 2024-04-01\ntags: [a]\n---\n"},
                 id="redate-a-post"),
    pytest.param({"content/blog/two.md": "---\ntitle: Two\ndate: 2024-02-01\ntags: [c]\n---\n"},
                 id="retag-a-post"),
    pytest.param({"content/blog/four.md": "---\ntitle: Four\ndate: 2024-04-01\n---\n"},
                 id="add-a-post"),
    pytest.param({"components/Note.html": "{% props text %}<aside>{{ text }}</aside>\n"},
                 id="edit-a-component"),
    pytest.param({"layouts/page.html": "{% extends 'default:layouts/page.html' %}\n"},
                 id="override-a-theme-layout"),
    pytest.param({"data/team.yaml": "lead: Bo\n"}, id="edit-data"),
    pytest.param({"static/css/extra.css": "p { margin: 1em; }\n"}, id="edit-static-file"),
    pytest.param({"islandgen.yaml": "title: Renamed\n"}, id="edit-config"),
]


def tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("edit", EDITS)
def test_rebuild_after_an_edit_equals_a_clean_build(make_site, edit):
    site = make_site(SITE, theme="default", name="edited")
    site.build()
    site.write(edit)
    site.build()
    clean = make_site({**SITE, **edit}, theme="default", name="clean")
    clean.build()
    rebuilt, fresh = tree(site.out), tree(clean.out)
    assert sorted(rebuilt) == sorted(fresh)
    assert [path for path in fresh if rebuilt[path] != fresh[path]] == []


def test_rebuild_after_removing_a_post_equals_a_clean_build(make_site):
    site = make_site(SITE, theme="default", name="edited")
    site.build()
    (site.root / "content" / "blog" / "two.md").unlink()
    site.build()
    clean = make_site(
        {k: v for k, v in SITE.items() if k != "content/blog/two.md"}, theme="default", name="clean"
    )
    clean.build()
    assert tree(site.out) == tree(clean.out)
    assert not site.has("/tags/b/")


def test_a_future_post_appears_when_its_day_comes_without_an_edit(make_site):
    later = {"content/blog/later.md": "---\ntitle: Later\ndate: 2024-07-01\n---\n"}
    site = make_site({**SITE, **later}, theme="default")
    site.build(now=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))
    assert not site.has("/blog/later/")
    site.build(now=dt.datetime(2024, 7, 2, tzinfo=dt.UTC))
    assert site.has("/blog/later/")


def test_a_data_loader_runs_on_every_build(make_site, monkeypatch):
    site = make_site({
        "data/stock.py": "import os\n\ndef load():\n    return os.environ['STOCK_LEVEL']\n",
        "pages/stock.html": "<p>{{ site.data.stock }}</p>\n",
    })
    monkeypatch.setenv("STOCK_LEVEL", "12")
    site.build()
    assert site.page("/stock/").p.get_text() == "12"
    monkeypatch.setenv("STOCK_LEVEL", "3")
    site.build()
    assert site.page("/stock/").p.get_text() == "3"


def test_a_build_failing_after_its_bodies_rendered_leaves_a_cache_the_next_build_trusts(
        make_site):
    # the parsed documents and rendered bodies are saved while routes render: a failure
    # after that must neither show in the output nor mislead the next build
    site = make_site(SITE, theme="default", name="edited")
    site.build()
    before = tree(site.out)
    broken = {
        "content/blog/one.md": "---\ntitle: One\ndate: 2024-01-01\nlayout: odd\n---\nNew body.\n",
        "layouts/odd.html": "{{ page.no_such_key }}\n",
    }
    site.write(broken)
    with pytest.raises(IslandgenError, match="no_such_key"):
        site.build()
    assert tree(site.out) == before
    fixed = {"layouts/odd.html": "{% extends 'layouts/post.html' %}\n"}
    site.write(fixed)
    site.build()
    clean = make_site({**SITE, **broken, **fixed}, theme="default", name="clean")
    clean.build()
    assert tree(site.out) == tree(clean.out)
    assert "New body." in site.page("/blog/one/").get_text()


def test_a_page_saved_while_the_build_reads_it_is_read_again_by_the_next_build(
        make_site, monkeypatch):
    # the build remembers each file by the stat it took before reading anything: had it
    # stat'ed the file after reading it, the next build would trust the old text
    site = make_site(SITE, theme="default")
    post = site.root / "content" / "blog" / "one.md"
    newer = "---\ntitle: One\ndate: 2024-01-01\ntags: [a]\n---\nSaved during the build.\n"
    read = pipeline.load_document

    def read_then_save(path: Path, content_dir: Path) -> Document:
        doc = read(path, content_dir)
        if path == post and "Saved" not in post.read_text(encoding="utf-8"):
            post.write_text(newer, encoding="utf-8")
        return doc

    monkeypatch.setattr(pipeline, "load_document", read_then_save)
    site.build()
    assert "First." in site.page("/blog/one/").get_text()  # what it read
    monkeypatch.undo()
    site.build()
    assert "Saved during the build." in site.page("/blog/one/").get_text()
