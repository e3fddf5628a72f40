"""A folder name and a theme -> a small working site on disk (`islandgen new`).

The starter holds one of each thing a site is made of, so a new user has a
working example to copy from for every kind of file: a page, a post, a
server component, a client component with its shell, and a server function
called from a client component. It builds, checks clean and serves as written.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .errors import UsageError, suggest
from .themes import available_themes, describe_available

_CONFIG = """\
# Site settings. Every key is optional; an unknown key is an error that suggests the right one.
title: {title}
description: A new islandgen site.
theme: {theme}

# The header navigation (without it, the top-level sections are listed).
nav:
  - title: Home
    url: /
  - title: Blog
    url: /blog/
  - title: About
    url: /about/
"""

_HOME = """\
---
title: {title}
---
:::Welcome(name="reader")
This page is `content/index.md`. Edit it while `islandgen serve` runs and the
browser reloads by itself.
:::

The button below is an **island**: a client component (`components/Counter.js`)
whose HTML comes from its shell (`components/Counter.html`) at build time. Its
script loads only when the button scrolls into view; the rest of the page ships
no JavaScript.

::Counter(start=3, client="visible")

The form below calls a **server function** (`server/greetings.py`): with
JavaScript the island calls it in place, without JavaScript the form posts to it.

::Greeter(client="idle")

Read the [first post](blog/hello-world.md), or see [what this site is made of](about.md).
"""

_ABOUT = """\
---
title: About
description: What this site is made of.
---
A page is a Markdown file in `content/`; its path is its URL, so
`content/about.md` is `/about/`.

| folder | holds |
|---|---|
| `content/` | pages and posts (Markdown with front matter) |
| `components/` | server components (`Welcome.html`), client components and shells (`Counter.js`, `.html`) |
| `server/` | server functions (`greetings.py`) |
| `static/` | files copied as they are |

`islandgen components` lists every component this site can use, and
`islandgen serve` shows each of them at `/_islandgen/components`.
"""

_BLOG_INDEX = """\
---
title: Blog
---
Posts are Markdown files with a `date` in their front matter, newest first.
"""

_POST = """\
---
title: Hello, world
date: {date}
tags: [islandgen]
summary: The first post of this site.
---
This is a post: `content/blog/hello-world.md`. Posts have a date, tags, and
neighbours (previous and next) in their section.

:::Welcome(name="reader of posts")
Components work in Markdown too: a line of its own, `::Name(props)`, or a
block with children between `:::Name(props)` and `:::`.
:::
"""

_WELCOME = """\
{#- A server component: it renders at build time and ships no JavaScript.
    Call it from a template, {{ Welcome(name="you") }}, or from Markdown, ::Welcome(name="you").
    The body of a call ({% call %} ... {% endcall %}, or a :::Welcome block) is `children`.
    The example below is what `islandgen serve` shows at /_islandgen/components. #}
{# example: name="reader"
   <p>Some children.</p> #}
{% props name="reader" %}
<section class="welcome">
  <p><strong>Welcome, {{ name }}!</strong></p>
  {{ children }}
</section>
"""

_COUNTER_JS = """\
'use client';
// A client component: this module runs in the browser, once per island, with the island
// element (which already holds the shell's HTML from Counter.html) and the props.
export default function Counter(el, { start }) {
  const output = el.querySelector('output');
  let count = start;
  el.querySelector('button').addEventListener('click', () => {
    count += 1;
    output.textContent = count;
  });
}
"""

_COUNTER_HTML = """\
{#- The shell of Counter.js: the HTML readers see before (and without) JavaScript.
    Its props are the island's props; their defaults are sent to the browser too. #}
{# example: start=5 #}
{% props start=0, label="Clicks" %}
<button type="button" class="counter">{{ label }}: <output>{{ start }}</output></button>
"""

_GREETER_JS = """\
'use client';
// Importing a "use server" module gives the browser an async stub that calls the server
// over HTTP: never the Python code. The form in Greeter.html posts without JavaScript.
import { greet } from '../server/greetings.py';

export default function Greeter(el) {
  const form = el.querySelector('form');
  const output = el.querySelector('output');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      output.textContent = await greet(form.elements.name.value);
    } catch (error) {
      output.textContent = error.message;
    }
  });
}
"""

_GREETER_HTML = """\
{#- The shell of Greeter.js: a real form whose action is the server function's endpoint. #}
{# example: #}
<form class="greeter" method="post" action="{{ server.greetings.greet }}">
  <label>Your name <input name="name" autocomplete="given-name" required></label>
  <button type="submit">Greet me</button>
  <output aria-live="polite"></output>
</form>
"""

_GREETINGS_PY = '''\
"use server"
# Server functions: every public function of this module can be called from the browser
# (a client component imports it) or by a form post. They run on a server (`islandgen serve`,
# or the bundle `islandgen build` writes to dist-functions/), never in the static output.
# Arguments are checked against the annotations before the call.


def greet(name: str) -> str:
    """A greeting for `name`."""
    return f"Hello, {name.strip() or 'stranger'}!"
'''

_GITIGNORE = """\
dist/
dist-functions/
.islandgen-cache/
__pycache__/
"""

_README = """\
# {title}

Made with `islandgen new`.

    islandgen serve          # http://127.0.0.1:4321, rebuilds and reloads on save
    islandgen build --check  # dist/ for any static host; dist-functions/ for the server functions
    islandgen components     # every component this site can use
"""


def starter_files(title: str, theme: str, today: dt.date) -> dict[str, str]:
    """The starter site as {relative path: text}, in the order they are written."""
    return {
        "islandgen.yaml": _CONFIG.format(title=_yaml_text(title), theme=theme),
        "README.md": _README.format(title=title),
        ".gitignore": _GITIGNORE,
        "content/index.md": _HOME.format(title=_yaml_text(title)),
        "content/about.md": _ABOUT,
        "content/blog/index.md": _BLOG_INDEX,
        "content/blog/hello-world.md": _POST.format(date=today.isoformat()),
        "components/Welcome.html": _WELCOME,
        "components/Counter.js": _COUNTER_JS,
        "components/Counter.html": _COUNTER_HTML,
        "components/Greeter.js": _GREETER_JS,
        "components/Greeter.html": _GREETER_HTML,
        "server/greetings.py": _GREETINGS_PY,
    }


def new_site(folder: Path, *, theme: str = "default", today: dt.date | None = None) -> list[Path]:
    """Write the starter site into `folder` (absent or empty); the files written, in order.

    A folder that holds anything is refused rather than merged into: a starter
    file silently replacing a user's file is worse than asking for another name.
    """
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file", hint="give the name of a new folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise UsageError(f"{folder} is not empty",
                         hint="give the name of a new (or empty) folder; nothing was written")
    _check_theme(folder, theme)
    title = _title(folder)
    written = []
    # the UTC date: a post dated "today" east of UTC would still be in the future there
    today = today or dt.datetime.now(dt.UTC).date()
    for rel, text in starter_files(title, theme, today).items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _check_theme(folder: Path, theme: str) -> None:
    """The theme must be one a new site can name: bundled or installed."""
    themes = available_themes(folder)
    if theme not in themes:
        raise UsageError(
            f"unknown theme {theme!r}",
            hint=" ".join(filter(None, [suggest(theme, themes),
                                        f"available themes: {describe_available(folder)}"])),
        )


def _title(folder: Path) -> str:
    """'my-site' -> 'My site': the folder name as a title."""
    name = re.sub(r"[-_\s]+", " ", folder.absolute().name).strip()
    return name[:1].upper() + name[1:] if name else "My site"


def _yaml_text(text: str) -> str:
    """A YAML scalar for `text`: plain when that is safe, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .,!?'()-]*", text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
