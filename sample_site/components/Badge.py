"""A Python server component: a small coloured label (`{{ Badge(label="added") }}`)."""

from markupsafe import Markup

TONES = {"added": "tip", "changed": "note", "fixed": "warning"}


def Badge(label: str, tone: str | None = None) -> Markup:
    """`tone` defaults from the label for release-note kinds, else "note"."""
    chosen = tone or TONES.get(label, "note")
    return Markup('<span class="badge badge--{}">{}</span>').format(chosen, label)
