"""data/ files -> site.data: YAML, JSON, TOML and Python loaders, none of it published."""

from __future__ import annotations

SHOW_DATA = """
    <p id="yaml">{{ site.data.team.members | map(attribute="name") | join(", ") }}</p>
    <p id="json">{{ site.data.links[1].url }}</p>
    <p id="toml">{{ site.data.release.version }} {{ site.data.release.notes.highlights | length }}</p>
    <p id="py">{{ site.data.stats.total }} {{ site.data.stats.token_set }}</p>
    <p id="nested">{{ site.data.shop.prices.tea }}</p>
"""

DATA_FILES = {
    "data/team.yaml": """
        members:
          - name: Ann
          - name: Bo
    """,
    "data/links.json": '[{"url": "https://a.example"}, {"url": "https://b.example"}]\n',
    "data/release.toml": """
        version = "1.2"
        [notes]
        highlights = ["fast", "small", "kind"]
    """,
    "data/stats.py": """
        import os

        SECRET = os.environ.get("ISLANDGEN_TEST_SECRET", "")


        def load():
            return {"total": 6 * 7, "token_set": bool(SECRET)}
    """,
    "data/shop/prices.yaml": "tea: 3.5\n",
}


def test_every_data_format_reaches_templates(make_site, monkeypatch):
    monkeypatch.setenv("ISLANDGEN_TEST_SECRET", "hunter2")
    site = make_site({**DATA_FILES, "pages/data.html": SHOW_DATA})
    site.build()
    page = site.page("/data/")
    shown = {p["id"]: p.get_text() for p in page.select("p")}
    assert shown == {
        "yaml": "Ann, Bo",
        "json": "https://b.example",
        "toml": "1.2 3",
        "py": "42 True",
        "nested": "3.5",
    }


def test_data_files_and_loader_secrets_stay_off_the_output(make_site, monkeypatch):
    monkeypatch.setenv("ISLANDGEN_TEST_SECRET", "hunter2")
    site = make_site({**DATA_FILES, "pages/data.html": SHOW_DATA})
    site.build()
    published = [p for p in site.out.rglob("*") if p.is_file()]
    host_files = {"robots.txt", "_headers", ".nojekyll"}
    assert [p.name for p in published
            if p.suffix not in (".html", ".css") and p.name not in host_files] == []
    for path in published:
        assert b"hunter2" not in path.read_bytes()
        assert b"ISLANDGEN_TEST_SECRET" not in path.read_bytes()


def test_a_loader_runs_once_per_build(make_site, tmp_path):
    runs = tmp_path / "runs.txt"
    site = make_site({
        "data/numbers.py": f"""
            from pathlib import Path


            def load():
                with Path({str(runs)!r}).open("a") as log:
                    log.write("run\\n")
                return [1, 2, 3]
        """,
        "layouts/page.html": "<p>{{ site.data.numbers | sum }}</p>\n",
        "content/a.md": "A\n",
        "content/b.md": "B\n",
        "content/c.md": "C\n",
    })
    site.build()
    assert site.page("/b/").p.get_text() == "6"
    assert runs.read_text() == "run\n"
