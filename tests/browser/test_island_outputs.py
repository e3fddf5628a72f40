"""Outputs that are not HTML pages stay what they are, even when the content they show has islands.

Only HTML pages get the runtime and a props payload; a feed or a JSON page
template showing `page.content` of a page with islands gets the shell HTML,
and no script. The sample site's search index is such a JSON page template.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

COUNTER = {
    "components/Counter.js": "'use client';\nexport default function Counter(el) {}\n",
    "components/Counter.html": "{% props start=0 %}<button>{{ start }}</button>\n",
}


def test_a_json_page_template_is_written_as_that_file(make_site: Callable[..., Any]) -> None:
    site = make_site({"pages/data.json": '{{ {"answer": 42} | tojson }}\n',
                      "pages/notes.txt": "plain text\n"})
    site.build()
    assert json.loads((site.out / "data.json").read_text(encoding="utf-8")) == {"answer": 42}
    assert (site.out / "notes.txt").read_text(encoding="utf-8") == "plain text\n"


def test_islands_in_page_content_leave_feeds_and_json_alone(make_site: Callable[..., Any]) -> None:
    site = make_site({
        **COUNTER,
        "content/post.md": "---\ntitle: Post\ndate: 2024-01-01\n---\n"
                           "::Counter(start=5, client=\"visible\")\n",
        "pages/contents.json":
            "{{ site.pages | map(attribute='content') | map('string') | list | tojson }}\n",
    }, theme="default")
    site.build()
    feed = (site.out / "feed.xml").read_text(encoding="utf-8")
    assert feed.startswith("<?xml")
    assert "<script" not in feed
    ET.fromstring(feed.encode("utf-8"))
    (content,) = json.loads((site.out / "contents.json").read_text(encoding="utf-8"))
    assert "<button>5</button>" in content  # the shell, as a reader without JavaScript sees it
    assert "<script" in (site.out / "post" / "index.html").read_text(encoding="utf-8")


def test_the_sample_search_index_is_json_of_every_page(built: Callable[..., Path]) -> None:
    out = built("sample")
    index = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
    urls = {entry["url"] for entry in index}
    assert {"/", "/docs/islands/", "/blog/hello-islandgen/"} <= urls
    islands = next(entry for entry in index if entry["url"] == "/docs/islands/")
    assert islands["title"] == "Interactive islands"
    assert "Tabs with server-rendered panels" in islands["text"]
    assert "<" not in islands["text"]
    for entry in index:
        assert set(entry) == {"title", "url", "tags", "summary", "text"}
