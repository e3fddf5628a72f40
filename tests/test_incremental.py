"""A dev-server session rebuilds only what changed, and ends up exactly where a clean build would.

Each case edits the site, tells the session which paths changed (as the file
watcher does), and compares every output file with a clean build of the same
files from scratch. It also checks the session re-rendered only what the edit
can reach.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sitefiles import NOW, write_files

from islandgen.pipeline import BuildOptions, BuildSession, build

SITE = {
    "islandgen.yaml": "title: Incremental\ntheme: default\n",
    "content/index.md": "# Home\n\nWelcome.\n",
    "content/about.md": "---\ntitle: About\n---\nAbout us. ::not-a-component\n",
    "content/blog/one.md": "---\ntitle: One\ndate: 2024-01-01\ntags: [a, b]\n---\nFirst post.\n\nMore.\n",
    "content/blog/two.md": (
        "---\ntitle: Two\ndate: 2024-02-01\ntags: [b]\n---\nSecond post.\n\n::Note(text=\"hi\")\n"
    ),
    "content/blog/three.md": (
        "---\ntitle: Three\ndate: 2024-03-01\n---\nThird, see [one](one.md).\n\nLater words.\n"
    ),
    "components/Note.html": "{% props text %}<aside class=\"note\">{{ text }}</aside>\n",
    "components/Clicker.js": "'use client';\nexport default function Clicker(el) { el.dataset.on = '1'; }\n",
    "components/Clicker.html": "<button type=\"button\">Click me</button>\n",
    "content/clicks.md": "---\ntitle: Clicks\n---\nPress it.\n\n::Clicker(client=\"load\")\n",
    "pages/featured.html": (
        "---\npaginate: site.pages | selectattr('featured', 'defined')\n---\n"
        "{% for p in pager.items %}<p>{{ p.title }}: {{ p.summary }}</p>{% endfor %}\n"
    ),
    "static/site.txt": "v1\n",
}


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def clean_build(site: Path, out: Path) -> dict[str, bytes]:
    BuildSession(site, BuildOptions(out_dir=out, now=NOW, use_cache=False)).build()
    return tree(out)


def built_session(tmp_path: Path) -> tuple[Path, Path, BuildSession]:
    """SITE written below tmp_path, its output folder, and a session that has built it once."""
    site = tmp_path / "site"
    write_files(site, SITE)
    out = tmp_path / "out"
    session = BuildSession(site, BuildOptions(out_dir=out, now=NOW))
    session.build()
    return site, out, session


Edit = Callable[[Path], list[Path]]


def edit(rel: str, old: str, new: str) -> Edit:
    def apply(site: Path) -> list[Path]:
        path = site / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        return [path]

    return apply


def create(rel: str, text: str) -> Edit:
    def apply(site: Path) -> list[Path]:
        write_files(site, {rel: text})
        return [site / rel]

    return apply


def delete(rel: str) -> Edit:
    def apply(site: Path) -> list[Path]:
        (site / rel).unlink()
        return [site / rel]

    return apply


CASES: dict[str, tuple[Edit, set[str] | None]] = {
    # edit -> the pages it must rewrite (None: don't check; more than these may not change)
    "body-only": (edit("content/blog/three.md", "Later words.", "Later, other words."),
                  {"blog/three/index.html", "feed.xml", "blog/feed.xml"}),
    "title": (edit("content/blog/one.md", "title: One", "title: Uno"), None),
    "tags": (edit("content/blog/one.md", "tags: [a, b]", "tags: [c]"), None),
    "date-reorders": (edit("content/blog/one.md", "2024-01-01", "2024-04-01"), None),
    "new-page": (create("content/blog/four.md", "---\ntitle: Four\ndate: 2024-05-01\n---\nNew.\n"),
                 None),
    "summary": (edit("content/blog/one.md", "First post.", "First post, edited."), None),
    "component": (edit("components/Note.html", "class=\"note\"", "class=\"note box\""),
                  {"blog/two/index.html", "feed.xml", "blog/feed.xml", "tags/b/feed.xml"}),
    "config": (edit("islandgen.yaml", "Incremental", "Renamed"), None),
    "static": (edit("static/site.txt", "v1", "v2"), {"site.txt"}),
    "linked-page-moves": (edit("content/blog/one.md", "title: One", "title: One\nslug: uno"), None),
    "client-shell": (edit("components/Clicker.html", "Click me", "Press me"),
                     {"clicks/index.html"}),
    "static-under-components": (create("static/components/x.txt", "x\n"),
                                {"components/x.txt"}),
    "metadata-a-route-reads": (edit("content/blog/two.md", "title: Two", "title: Two\nfeatured: true"),
                               None),
    "new-static": (create("static/new.txt", "new\n"), {"new.txt"}),
    "layout-override": (create("layouts/page.html", "<main>{{ content }}</main>\n"),
                        {"about/index.html", "clicks/index.html"}),
    "data": (create("data/facts.yaml", "answer: 42\n"), None),
    "draft": (edit("content/blog/two.md", "title: Two", "title: Two\ndraft: true"), None),
    "deleted-page": (delete("content/blog/three.md"), None),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_session_rebuild_matches_a_clean_build(tmp_path: Path, name: str) -> None:
    change, expected_rewrites = CASES[name]
    site, out, session = built_session(tmp_path)
    before = tree(out)

    changed = change(site)
    result = session.build(changed=changed)

    after = tree(out)
    assert after == clean_build(site, tmp_path / "clean")
    if expected_rewrites is not None:
        rewritten = {path for path in after if before.get(path) != after[path]}
        assert rewritten == expected_rewrites
        assert result.files_written == len(expected_rewrites)


def test_edits_in_sequence_stay_equal_to_clean_builds(tmp_path: Path) -> None:
    site, out, session = built_session(tmp_path)
    for number, (change, _) in enumerate(CASES.values()):
        changed = change(site)
        session.build(changed=changed)
        assert tree(out) == clean_build(site, tmp_path / f"clean-{number}"), number


def test_a_long_session_of_edits_stays_right_and_holds_no_more_than_it_needs(
    tmp_path: Path,
) -> None:
    """A dev server lives for hours: what it remembers between edits must not grow with them."""
    site, out, session = built_session(tmp_path)
    post = site / "content" / "blog" / "three.md"
    text = post.read_text(encoding="utf-8")
    for number in range(150):  # well past the point where its memos are cut down
        post.write_text(f"{text}\nEdit number {number}.\n", encoding="utf-8")
        session.build(changed=[post])
    assert tree(out) == clean_build(site, tmp_path / "clean")
    previous = session.previous
    assert previous is not None
    for memo in (previous.page_facts, previous.page_digests, previous.markdown,
                 previous.route_keys, previous.reports):
        assert len(memo) <= 2 * len(previous.routes) + 64


def test_a_session_readied_after_an_up_to_date_build_writes_nothing_and_edits_right(
    tmp_path: Path,
) -> None:
    """`prepare` is what the dev server does while it waits for the first edit."""
    site = tmp_path / "site"
    write_files(site, SITE)
    out = tmp_path / "out"
    build(site, BuildOptions(out_dir=out, now=NOW))  # as `islandgen build` leaves it
    before = tree(out)
    written = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    session = BuildSession(site, BuildOptions(out_dir=out, now=NOW))
    session.build()
    assert session.previous is None  # answered from the cache: the site was not loaded
    session.prepare()
    assert session.previous is not None
    assert tree(out) == before
    assert {path: path.stat().st_mtime_ns for path in written} == written

    change, expected_rewrites = CASES["body-only"]
    result = session.build(changed=change(site))
    after = tree(out)
    assert after == clean_build(site, tmp_path / "clean")
    assert {path for path in after if before.get(path) != after[path]} == expected_rewrites
    assert result.rendered == 3


def test_a_failed_session_rebuild_keeps_the_output_and_recovers(tmp_path: Path) -> None:
    site, out, session = built_session(tmp_path)
    before = tree(out)
    broken = edit("content/blog/three.md", "[one](one.md)", "[one](missing.md)")(site)
    with pytest.raises(Exception, match="missing page"):
        session.build(changed=broken)
    assert tree(out) == before
    fixed = edit("content/blog/three.md", "[one](missing.md)", "[one](two.md)")(site)
    session.build(changed=fixed)
    assert tree(out) == clean_build(site, tmp_path / "clean")


def test_a_deleted_component_fails_the_session_rebuild_as_it_fails_a_clean_build(
    tmp_path: Path,
) -> None:
    site, _, session = built_session(tmp_path)
    note = site / "components" / "Note.html"
    note.unlink()
    with pytest.raises(Exception, match="unknown component 'Note'"):
        session.build(changed=[note])


def chunk_texts(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in sorted((out / "_islands").glob("*.js")))


def test_a_no_change_build_notices_client_modules_outside_the_site_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write_files(site, {
        **SITE,
        "components/Clicker.js": (
            "'use client';\nimport { mark } from '../lib/mark.js';\n"
            "export default function Clicker(el) { el.dataset.on = mark + import.meta.env."
            "ISLANDGEN_PUBLIC_FLAVOUR; }\n"
        ),
        "lib/mark.js": "export const mark = 'v1';\n",
    })
    out = tmp_path / "out"
    monkeypatch.setenv("ISLANDGEN_PUBLIC_FLAVOUR", "plain")
    build(site, BuildOptions(out_dir=out, now=NOW))
    assert "v1" in chunk_texts(out) and "plain" in chunk_texts(out)

    write_files(site, {"lib/mark.js": "export const mark = 'v2';\n"})
    build(site, BuildOptions(out_dir=out, now=NOW))
    assert "v2" in chunk_texts(out)

    monkeypatch.setenv("ISLANDGEN_PUBLIC_FLAVOUR", "spicy")
    build(site, BuildOptions(out_dir=out, now=NOW))
    assert "spicy" in chunk_texts(out)


def test_a_list_showing_reading_times_follows_a_body_edit(tmp_path: Path) -> None:
    """A page's reading time comes from its body, so a list showing it reads the body."""
    site = tmp_path / "site"
    write_files(site, {
        **SITE,
        "pages/reading.html": (
            "{% for p in site.pages %}<p>{{ p.title }}: {{ p.reading_minutes }} min</p>"
            "{% endfor %}\n"
        ),
    })
    out = tmp_path / "out"
    session = BuildSession(site, BuildOptions(out_dir=out, now=NOW))
    session.build()
    assert "<p>Three: 1 min</p>" in (out / "reading" / "index.html").read_text(encoding="utf-8")
    long_read = " ".join(["word"] * 1000)
    changed = edit("content/blog/three.md", "Later words.", long_read)(site)
    session.build(changed=changed)
    assert "<p>Three: 5 min</p>" in (out / "reading" / "index.html").read_text(encoding="utf-8")
    assert tree(out) == clean_build(site, tmp_path / "clean")
