"""Bad input: the exact `file:line: message` a user sees on stderr, and the exit code.

Each case starts from a small valid site, adds or replaces files, and runs
`islandgen build .` in the site folder, so paths print as the user typed them.
"""

from __future__ import annotations

import pytest

BASE_SITE = {
    "content/index.md": "---\ntitle: Home\n---\nWelcome.\n",
    "content/blog/hi.md": "---\ntitle: Hi\ndate: 2024-05-01\n---\nHello.\n",
    "components/Card.html": """
        {% props title, tone="plain" %}
        <div class="card card--{{ tone }}">{{ title }}{{ children }}</div>
    """,
}


def case(name: str, files: dict[str, str | bytes], location: str, *words: str):
    """One bad site: the files that break it, where the error points, what it must say."""
    return pytest.param(files, location, words, id=name)


ERRORS = [
    # -- config ---------------------------------------------------------------------------
    case(
        "config-malformed-yaml",
        {"islandgen.yaml": "theme: plain\ntitle: My: site\n"},
        "islandgen.yaml:2", "invalid YAML",
    ),
    case(
        "config-unknown-key",
        {"islandgen.yaml": "theme: plain\ntitel: My site\n"},
        "islandgen.yaml:2", "unknown config key 'titel'", "did you mean 'title'?",
    ),
    case(
        "config-unknown-nested-key",
        {"islandgen.yaml": "theme: plain\nmarkdown:\n  highlite: false\n"},
        "islandgen.yaml:3", "'markdown.highlite'", "did you mean 'highlight'?",
    ),
    case(
        "config-wrong-type",
        {"islandgen.yaml": "theme: plain\npermalinks: /:year/:slug/\n"},
        "islandgen.yaml:2", "'permalinks'", "must be a mapping",
    ),
    case(
        "config-wrong-nested-type",
        {"islandgen.yaml": "theme: plain\nbuild:\n  pagination: lots\n"},
        "islandgen.yaml:3", "'build.pagination'", "whole number",
    ),
    case(
        "config-duplicate-key",
        {"islandgen.yaml": "theme: plain\ntitle: A\ntitle: B\n"},
        "islandgen.yaml:3", "duplicate key 'title'", "line 2",
    ),
    case(
        "unknown-theme",
        {"islandgen.yaml": "title: Site\ntheme: fancy\n"},
        "islandgen.yaml:2", "unknown theme 'fancy'",
        "available themes: plain (in themes/); default, docs (bundled)",
    ),
    case(
        "theme-typo",
        {"islandgen.yaml": "theme: plian\n"},
        "islandgen.yaml:1", "unknown theme 'plian'", "did you mean 'plain'?",
    ),
    case(
        "themes-extend-each-other",
        {
            "islandgen.yaml": "theme: one\n",
            "themes/one/theme.yaml": "name: one\nextends: two\n",
            "themes/two/theme.yaml": "name: two\nextends: one\n",
        },
        "themes/two/theme.yaml:2", "loop", "one -> two -> one",
    ),
    # -- content --------------------------------------------------------------------------
    case(
        "front-matter-malformed-yaml",
        {"content/blog/hi.md": "---\ntitle: Hi\nsummary: a: b\n---\nHello.\n"},
        "content/blog/hi.md:3", "invalid YAML",
    ),
    case(
        "front-matter-duplicate-key",
        {"content/blog/hi.md": "---\ntitle: Hi\ndate: 2024-05-01\ntitle: Hey\n---\n"},
        "content/blog/hi.md:4", "duplicate key 'title'", "line 2",
    ),
    case(
        "front-matter-not-a-mapping",
        {"content/blog/hi.md": "---\n- just\n- a list\n---\n"},
        "content/blog/hi.md:2", "front matter must be a mapping",
    ),
    case(
        "front-matter-bad-date",
        {"content/blog/hi.md": "---\ntitle: Hi\ndate: next tuesday\n---\n"},
        "content/blog/hi.md:3", "'date'", "not a date",
    ),
    case(
        "content-not-utf8",
        {"content/blog/hi.md": b"---\ntitle: Caf\xe9\n---\n"},
        "content/blog/hi.md:2", "not valid UTF-8",
    ),
    case(
        "missing-layout",
        {"content/blog/hi.md": "---\ntitle: Hi\nlayout: fancy\n---\n"},
        "content/blog/hi.md:3", "layout 'fancy'", "layouts/fancy.html",
    ),
    case(
        "link-to-missing-page",
        {"content/blog/hi.md": "---\ntitle: Hi\n---\nFirst.\n\nSee [this](nope.md).\n"},
        "content/blog/hi.md:6", "missing page", "nope.md",
    ),
    case(
        "unclosed-markdown-component",
        {"content/blog/hi.md": "---\ntitle: Hi\n---\n:::Card(title=\"x\")\nBody.\n"},
        "content/blog/hi.md:4", "never closed",
    ),
    # -- templates ------------------------------------------------------------------------
    case(
        "template-syntax-error",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n<p>{% if %}yes{% endif %}</p>\n"},
        "layouts/page.html:2", "syntax error",
    ),
    case(
        "template-block-never-closed",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n{% if page.title %}\n<p>open</p>\n"},
        "layouts/page.html:3", "syntax error", "endif",
    ),
    case(
        "undefined-name",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n<p>{{ subtitle }}</p>\n"},
        "layouts/page.html:2", "'subtitle' is undefined",
    ),
    case(
        "undefined-page-attribute",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n<p>{{ page.subtitle }}</p>\n"},
        "layouts/page.html:2", "subtitle",
    ),
    case(
        "error-in-an-extended-layout",
        {
            "layouts/base.html": "<main>\n{% block main %}{% endblock %}\n{{ footer_text }}\n</main>\n",
        },
        "layouts/base.html:3", "'footer_text' is undefined",
    ),
    case(
        "page-template-syntax-error",
        {"pages/about.html": "---\ntitle: About\n---\n<p>{{ page.title }</p>\n"},
        "pages/about.html:4", "syntax error",
    ),
    case(
        "asset-not-found",
        {"layouts/page.html": "<p>ok</p>\n<img src=\"{{ asset('img/nope.png') }}\">\n"},
        "layouts/page.html:2", "img/nope.png",
    ),
    # -- routes ---------------------------------------------------------------------------
    case(
        "dynamic-route-without-paths",
        {"pages/tags/[tag].html": "<p>{{ params.tag }}</p>\n"},
        "pages/tags/[tag].html:1", "'paths'",
    ),
    # -- components -----------------------------------------------------------------------
    case(
        "unknown-component-in-template",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n{{ Crad(title='x') }}\n"},
        "layouts/page.html:2", "Crad", "did you mean 'Card'?",
    ),
    case(
        "unknown-component-in-markdown",
        {"content/blog/hi.md": "---\ntitle: Hi\n---\nText.\n\n::Crad(title=\"x\")\n"},
        "content/blog/hi.md:6", "unknown component 'Crad'", "did you mean 'Card'?",
    ),
    case(
        "unknown-prop",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n{{ Card(titel='x') }}\n"},
        "layouts/page.html:2", "unknown prop 'titel'", "did you mean 'title'?",
    ),
    case(
        "unknown-prop-in-markdown",
        {"content/blog/hi.md": "---\ntitle: Hi\n---\n::Card(title=\"x\", tnoe=\"loud\")\n"},
        "content/blog/hi.md:4", "unknown prop 'tnoe'", "did you mean 'tone'?",
    ),
    case(
        "missing-required-prop",
        {"layouts/page.html": "<h1>{{ page.title }}</h1>\n\n{{ Card(tone='loud') }}\n"},
        "layouts/page.html:3", "missing required prop 'title'",
    ),
    case(
        "missing-required-prop-in-markdown",
        {"content/blog/hi.md": "---\ntitle: Hi\n---\nText.\n\n::Card()\n"},
        "content/blog/hi.md:6", "missing required prop 'title'",
    ),
    case(
        "component-cycle",
        {
            "layouts/page.html": "{{ Ping(n=1) }}\n",
            "components/Ping.html": "{% props n %}\n<b>{{ Pong(n=n) }}</b>\n",
            "components/Pong.html": "{% props n %}\n\n<i>{{ Ping(n=n) }}</i>\n",
        },
        "components/Pong.html:3", "loop", "Ping -> Pong -> Ping",
    ),
    case(
        "component-calls-itself",
        {
            "layouts/page.html": "{{ Forever() }}\n",
            "components/Forever.html": "{% props %}\n<div>{{ Forever() }}</div>\n",
        },
        "components/Forever.html:2", "loop", "Forever -> Forever",
    ),
    case(
        "prop-default-not-a-literal",
        {
            "layouts/page.html": "{{ Card(title='x') }}\n",
            "components/Card.html": "{# A card #}\n{% props title, tone=site.title %}\n{{ title }}\n",
        },
        "components/Card.html:2", "'tone'", "literal",
    ),
    case(
        "component-template-syntax-error",
        {
            "layouts/page.html": "{{ Broken() }}\n",
            "components/Broken.html": "{% props %}\n<p>\n{% for x in %}\n</p>\n",
        },
        "components/Broken.html:3", "syntax error",
    ),
    case(
        "python-component-raises",
        {
            "layouts/page.html": "<p>{{ page.title }}</p>\n{{ Boom() }}\n",
            "components/boom.py": "def Boom():\n    raise ValueError('no fuse')\n",
        },
        "layouts/page.html:2", "no fuse",
    ),
    case(
        "python-component-module-fails-to-import",
        {
            "layouts/page.html": "<p>{{ page.title }}</p>\n",
            "components/widgets.py": "from markupsafe import Markup\n\nimport no_such_module_xyz\n",
        },
        "components/widgets.py:3", "no_such_module_xyz",
    ),
    # -- data -----------------------------------------------------------------------------
    case(
        "data-invalid-json",
        {"data/team.json": '{\n  "a": 1,\n  "b": \n}\n'},
        "data/team.json:4", "invalid JSON",
    ),
    case(
        "data-loader-raises",
        {"data/feed.py": "def load():\n    return 1 / 0\n"},
        "data/feed.py:2", "ZeroDivisionError",
    ),
]


@pytest.mark.parametrize(("files", "location", "words"), ERRORS)
def test_build_error_points_at_the_users_file_and_line(make_site, run_cli, files, location, words):
    site = make_site({**BASE_SITE, **files})
    result = run_cli("build", ".", cwd=site.root)
    assert result.code == 1, result.err
    assert result.error.startswith(f"error: {location}: "), result.err
    for word in words:
        assert word in result.err
    assert not (site.root / "dist").exists()


@pytest.mark.parametrize(
    ("files", "url", "sources"),
    [
        pytest.param(
            {"content/about.md": "About.\n", "pages/about.html": "<p>About</p>\n"},
            "/about/", ["content/about.md", "pages/about.html"], id="content-and-page-template",
        ),
        pytest.param(
            {"content/about.md": "About.\n", "content/about/index.md": "Also about.\n"},
            "/about/", ["content/about.md", "content/about/index.md"], id="file-and-folder-index",
        ),
        pytest.param(
            {"content/blog/hello.md": "---\nslug: hi\n---\nHello.\n"},
            "/blog/hi/", ["content/blog/hello.md", "content/blog/hi.md"], id="slug",
        ),
        pytest.param(
            {"content/blog/hello.md": "---\npermalink: /\n---\nHello.\n"},
            "/", ["content/blog/hello.md", "content/index.md"], id="permalink",
        ),
    ],
)
def test_two_sources_for_one_url_name_both(make_site, run_cli, files, url, sources):
    site = make_site({**BASE_SITE, **files})
    result = run_cli("build", ".", cwd=site.root)
    assert result.code == 1
    located_at = result.error.removeprefix("error: ").split(":")[0]
    assert located_at in sources
    assert f"two sources produce the URL {url}" in result.error
    for source in sources:
        assert source in result.error


def test_error_shows_the_offending_source_line_and_a_hint(make_site, run_cli):
    site = make_site({**BASE_SITE, "islandgen.yaml": "theme: plain\ntitel: My site\n"})
    result = run_cli("build", ".", cwd=site.root)
    assert result.err.splitlines() == [
        "error: islandgen.yaml:2: unknown config key 'titel'",
        "     2 | titel: My site",
        "  hint: did you mean 'title'?",
    ]


def test_undefined_front_matter_key_is_explained_in_site_terms(make_site, run_cli):
    site = make_site({**BASE_SITE, "layouts/page.html": "<p>{{ page.subtitle }}</p>\n"})
    result = run_cli("build", ".", cwd=site.root)
    assert result.error.startswith("error: layouts/page.html:1: ")
    assert "'subtitle'" in result.error
    assert "islandgen." not in result.error  # no internal class names


def test_errors_print_no_traceback_unless_verbose(make_site, run_cli):
    site = make_site({**BASE_SITE, "layouts/page.html": "{{ nope }}\n"})
    quiet = run_cli("build", ".", cwd=site.root)
    assert "Traceback" not in quiet.err
    verbose = run_cli("build", ".", "--verbose", cwd=site.root)
    assert verbose.code == 1
    assert "Traceback" in verbose.err
    assert "error: layouts/page.html:1: 'nope' is undefined" in verbose.err
