"""Server components: declared props, children, nesting, Python components, use from Markdown."""

from __future__ import annotations

CARD = """
    {#- A card: title is required, tone has a default. -#}
    {% props title, tone="plain", tags=[] %}
    <article class="card card--{{ tone }}" data-tags="{{ tags | join(',') }}">
    <h3>{{ title }}</h3>
    {% if children %}<div class="body">{{ children }}</div>{% endif %}
    </article>
"""


def page_with(layout: str) -> dict[str, str]:
    """A site with the Card component whose home page renders `layout`."""
    return {
        "components/Card.html": CARD,
        "layouts/page.html": layout,
        "content/index.md": "---\nlayout: page\ntitle: Home\n---\n",
    }


def text(tag) -> str:
    return " ".join(tag.get_text().split()) if tag is not None else ""


def cards(soup) -> list[tuple[str, str, str]]:
    """(classes, title, body text) of every card on the page."""
    return [
        (" ".join(card["class"]), text(card.h3), text(card.select_one(":scope > .body")))
        for card in soup.select("article.card")
    ]


def test_defaults_fill_props_that_are_not_passed(make_site):
    site = make_site(page_with('{{ Card(title="A") }}{{ Card(title="B", tone="loud") }}'))
    site.build()
    page = site.page("/")
    assert cards(page) == [("card card--plain", "A", ""), ("card card--loud", "B", "")]
    assert [c["data-tags"] for c in page.select("article.card")] == ["", ""]


def test_call_block_passes_children(make_site):
    site = make_site(page_with(
        '{% call Card(title="With body", tags=["x", "y"]) %}<p>Child <em>HTML</em></p>{% endcall %}'
    ))
    site.build()
    card = site.page("/").select_one("article.card")
    assert str(card.select_one(".body p")) == "<p>Child <em>HTML</em></p>"
    assert card["data-tags"] == "x,y"


def test_props_are_escaped_and_children_are_not(make_site):
    site = make_site(page_with(
        '{% call Card(title="<script>alert(1)</script>") %}<b>bold</b>{% endcall %}'
    ))
    site.build()
    card = site.page("/").select_one("article.card")
    assert card.h3.get_text() == "<script>alert(1)</script>"
    assert card.select("script") == []
    assert card.select_one(".body b").get_text() == "bold"


def test_components_call_components(make_site):
    site = make_site({
        **page_with('{{ Deck(titles=["one", "two"]) }}'),
        "components/Deck.html": """
            {% props titles %}
            <section class="deck">
            {% for title in titles %}{{ Card(title=title, tone="deck") }}{% endfor %}
            </section>
        """,
    })
    site.build()
    deck = site.page("/").select_one("section.deck")
    assert cards(deck) == [("card card--deck", "one", ""), ("card card--deck", "two", "")]


def test_children_can_hold_other_components(make_site):
    site = make_site(page_with(
        '{% call Card(title="outer") %}{{ Card(title="inner") }}{% endcall %}'
    ))
    site.build()
    outer = site.page("/").select_one("article.card")
    assert outer.select_one(".body article.card h3").get_text() == "inner"


def test_component_may_recurse_with_different_props(make_site):
    site = make_site({
        **page_with("{{ Countdown(n=3) }}"),
        "components/Countdown.jinja": """
            {% props n %}
            <span>{{ n }}</span>{% if n > 0 %}{{ Countdown(n=n - 1) }}{% endif %}
        """,
    })
    site.build()
    assert [s.get_text() for s in site.page("/").select("span")] == ["3", "2", "1", "0"]


def test_components_see_site_but_take_page_values_as_props(make_site):
    site = make_site({
        **page_with("{{ SiteName(suffix=page.title) }}"),
        "components/SiteName.html": "{% props suffix %}<p>{{ site.title }} / {{ suffix }}</p>\n",
        "islandgen.yaml": "theme: plain\ntitle: My site\n",
    })
    site.build()
    assert site.page("/").p.get_text() == "My site / Home"


def test_python_components(make_site):
    site = make_site({
        **page_with(
            '{{ Badge(label="<new>") }}{{ Badge(label="ok", tone="good") }}'
            '{% call Box(title="T") %}<i>inside</i>{% endcall %}'
        ),
        "components/ui.py": '''
            from markupsafe import Markup, escape


            def Badge(label: str, tone: str = "info") -> str:
                return f'<span class="badge badge-{tone}">{escape(label)}</span>'


            def Box(title: str, children: str = "") -> Markup:
                return Markup('<div class="box" title="{}">{}</div>').format(title, children)


            def helper() -> None:
                """Not capitalised: not a component."""
        ''',
    })
    site.build()
    page = site.page("/")
    badges = [(" ".join(b["class"]), b.get_text()) for b in page.select("span.badge")]
    assert badges == [("badge badge-info", "<new>"), ("badge badge-good", "ok")]
    box = page.select_one("div.box")
    assert box["title"] == "T"
    assert str(box.i) == "<i>inside</i>"


def test_markdown_components_get_markdown_children_and_page_values(make_site):
    site = make_site({
        "components/Card.html": CARD,
        "content/post.md": """
            ---
            title: The post
            ---
            Intro with {{ braces }}.

            ::Card(title=page.title, tone="md")

            :::Card(title="Notes")
            Some **bold** and a [link](other.md).
            :::
        """,
        "content/other.md": "# Other\n",
    })
    site.build()
    page = site.page("/post/")
    assert cards(page) == [
        ("card card--md", "The post", ""),
        ("card card--plain", "Notes", "Some bold and a link."),
    ]
    body = page.select("article.card")[1].select_one(".body")
    assert body.strong.get_text() == "bold"
    assert body.a["href"] == "/other/"
    assert page.select_one(".content p").get_text() == "Intro with {{ braces }}."


def test_default_theme_components_work_from_markdown(make_site):
    site = make_site(
        {
            "content/guide.md": """
                # Guide

                :::Callout(kind="warning", title="Careful")
                Mind the **gap**.
                :::
            """,
        },
        theme="default",
    )
    site.build()
    callout = site.page("/guide/").select_one("aside.callout")
    assert "callout--warning" in callout["class"]
    assert callout.select_one(".callout__title").get_text() == "Careful"
    assert callout.strong.get_text() == "gap"
