"""The output folder: byte-identical rebuilds, swapped in whole, untouched by a failed build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import islandgen
from islandgen import IslandgenError
from islandgen.parallel import MIN_ITEMS_PER_WORKER


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes, keyed by relative path."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }

# A site that exercises most of the pipeline: sections, tags, pagination,
# components from Markdown, a data loader, a dynamic route, static files.
FULL_SITE = {
    "islandgen.yaml": "title: Determinism\nbase_url: https://example.com\n",
    "content/index.md": "# Welcome\n\n::Callout(title=\"Hi\")\n",
    "content/about.md": "---\ntitle: About\n---\nSee the [first post](blog/post-01.md).\n",
    **{
        f"content/blog/post-{n:02d}.md": (
            f"---\ntitle: Post {n}\ndate: 2024-01-{n:02d} 10:00:00 +0000\n"
            f"tags: [tag-{n % 3}, common]\n---\n# Post {n}\n\n## Part one\n\n```python\nx = {n}\n```\n"
        )
        for n in range(1, 13)
    },
    "content/docs/index.md": "# Docs\n",
    "content/docs/b.md": "---\nweight: 2\n---\n# B\n",
    "content/docs/a.md": "---\nweight: 1\n---\n# A\n",
    "data/colours.py": "def load():\n    return [{'name': n} for n in sorted({'red', 'green', 'blue'})]\n",
    "pages/colours/[name].html": (
        "---\npaths: site.data.colours\n---\n{% extends 'layouts/base.html' %}\n"
        "{% block content %}<p>{{ params.name }}</p>{% endblock %}\n"
    ),
    "static/img/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n",
}


def test_two_builds_are_byte_identical(make_site, tmp_path):
    site = make_site(FULL_SITE, theme="default")
    site.build(out_dir=tmp_path / "one")
    site.build(out_dir=tmp_path / "two")
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert "blog/page/2/index.html" in one
    assert "colours/green/index.html" in one
    assert one.keys() == two.keys()
    assert [path for path in one if one[path] != two[path]] == []


def test_builds_in_separate_processes_are_byte_identical(make_site, tmp_path):
    """Different hash seeds reorder sets and dicts of str: no such order may leak."""
    site = make_site(FULL_SITE, theme="default")
    package_root = Path(islandgen.__file__).parent.parent
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(package_root)}
        subprocess.run(
            [sys.executable, "-m", "islandgen", "build", str(site.root), "--out",
             str(tmp_path / f"seed-{seed}"), "--quiet", "--future"],
            check=True, env=env,
        )
    assert tree(tmp_path / "seed-1") == tree(tmp_path / "seed-2")


def test_output_does_not_depend_on_where_the_site_is(make_site):
    here, there = make_site(FULL_SITE, theme="default", name="here"), make_site(
        FULL_SITE, theme="default", name="somewhere-else"
    )
    here.build()
    there.build()
    assert tree(here.out) == tree(there.out)


def many_posts() -> dict[str, str]:
    """Enough pages that rendering is spread over (at least two) worker processes."""
    count = 2 * MIN_ITEMS_PER_WORKER + 10
    return {
        f"content/blog/p{n:03d}.md": (
            f"---\ntitle: Post {n}\ndate: 2024-01-01 00:{n // 60:02d}:{n % 60:02d}\n"
            f"tags: [t{n % 7}]\n---\n# Post {n}\n\nSee [the next](p{(n + 1) % count:03d}.md).\n\n"
            f"```python\nprint({n})\n```\n\n::Callout(title=\"{n}\")\n"
        )
        for n in range(count)
    }


def test_rendering_in_worker_processes_gives_the_same_bytes(make_site, monkeypatch):
    files = many_posts()
    serial, parallel = (make_site(files, theme="default", name=n) for n in ("serial", "parallel"))
    monkeypatch.setenv("ISLANDGEN_WORKERS", "1")
    serial.build()
    monkeypatch.setenv("ISLANDGEN_WORKERS", "4")
    parallel.build()
    assert tree(serial.out) == tree(parallel.out)


def test_an_error_in_a_worker_process_keeps_its_location(make_site, monkeypatch):
    files = many_posts()
    files["content/blog/p090.md"] = "---\ntitle: Broken\n---\nIntro.\n\n[gone](gone.md)\n"
    site = make_site(files, theme="default")
    monkeypatch.setenv("ISLANDGEN_WORKERS", "4")
    with pytest.raises(IslandgenError) as caught:
        site.build()
    assert (caught.value.path.name, caught.value.line) == ("p090.md", 6)
    assert "gone.md" in caught.value.message


def test_a_failed_parallel_build_leaves_nothing_behind(make_site, monkeypatch, tmp_path):
    files = many_posts()
    files["content/blog/p090.md"] = "---\ntitle: Broken\ndate: 2023-01-01\nlayout: broken\n---\n"
    files["layouts/broken.html"] = "<p>fine</p>\n<p>{{ no_such_name }}</p>\n"
    site = make_site(files, theme="default")
    monkeypatch.setenv("ISLANDGEN_WORKERS", "4")
    out = tmp_path / "public"
    with pytest.raises(IslandgenError) as caught:
        site.build(out_dir=out)
    assert (caught.value.path.name, caught.value.line) == ("broken.html", 2)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_failed_parallel_rebuild_leaves_the_output_intact(make_site, monkeypatch):
    site = make_site(many_posts(), theme="default")
    monkeypatch.setenv("ISLANDGEN_WORKERS", "4")
    site.build()
    before = tree(site.out)
    site.write({
        "layouts/post.html": "{% extends 'default:layouts/post.html' %}\n"
        "{% block head %}{{ nope }}{% endblock %}\n"
    })
    beside = sorted(os.listdir(site.root))
    with pytest.raises(IslandgenError):
        site.build()
    assert tree(site.out) == before
    assert sorted(os.listdir(site.root)) == beside


BREAKAGES = [
    pytest.param({"content/about.md": "---\ntitle: [unclosed\n---\n"}, id="front-matter"),
    pytest.param({"layouts/page.html": "{% if %}\n"}, id="template-syntax"),
    pytest.param({"layouts/page.html": "{{ no_such_name }}\n"}, id="undefined-name"),
    pytest.param({"content/about.md": "::Callout(kind=)\n"}, id="markdown-component"),
    pytest.param({"data/colours.py": "def load():\n    raise RuntimeError('offline')\n"},
                 id="data-loader"),
]


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_failed_build_leaves_the_previous_output_intact(make_site, breakage):
    site = make_site(FULL_SITE, theme="default")
    site.build()
    before = tree(site.out)
    site.write(breakage)
    beside = sorted(os.listdir(site.root))
    with pytest.raises(IslandgenError):
        site.build()
    assert tree(site.out) == before
    assert sorted(os.listdir(site.root)) == beside  # no half-written or retired folders


def test_a_failed_build_into_a_fresh_folder_creates_nothing(make_site, tmp_path):
    site = make_site({"content/a.md": "---\ntitle: [unclosed\n---\n"})
    out = tmp_path / "public"
    with pytest.raises(IslandgenError):
        site.build(out_dir=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_rebuild_drops_pages_whose_source_is_gone(make_site):
    site = make_site({"content/a.md": "A\n", "content/b.md": "B\n", "static/old.txt": "old\n"})
    site.build()
    (site.root / "content" / "b.md").unlink()
    (site.root / "static" / "old.txt").unlink()
    site.build()
    assert site.has("/a/")
    assert not site.has("/b/")
    assert not (site.out / "old.txt").exists()
    leftovers = [path for path in tree(site.out) if "/." in f"/{path}" and path != ".nojekyll"]
    assert leftovers == []  # no temporary files


def test_every_route_is_one_html_file_plus_404(make_site):
    site = make_site(
        {"content/index.md": "# Home\n", "content/blog/hi.md": "---\ndate: 2024-05-01\n---\nHi\n"},
        theme="default",
    )
    result = site.build()
    urls = [route.url for route in result.routes]
    assert {"/", "/blog/", "/blog/hi/", "/404.html", "/tags/"} <= set(urls)
    assert [url for url in urls if not site.file(url).is_file()] == []
    html_files = list(site.out.rglob("*.html"))
    assert len(html_files) == len([url for url in urls if url.endswith(("/", ".html"))])
