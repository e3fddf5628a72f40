"""A Python component with an example declared in its docstring.

example: label="New", tone="tip"
"""

from markupsafe import Markup


def Badge(label: str, tone: str = "info") -> Markup:
    return Markup('<span class="badge badge--{}">{}</span>').format(tone, label)


def helper() -> str:
    """Lowercase: not a component."""
    return ""
