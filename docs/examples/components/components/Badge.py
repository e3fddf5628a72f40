"""Python components: each capitalised function of this module is a component.

Keyword parameters are its props (a default makes a prop optional); a `children`
parameter would receive the call's body. The returned HTML is used as it is, so
escape every value that comes in: Markup.format does.
"""

from markupsafe import Markup

# example: label="New", tone="tip"


def Badge(label: str, tone: str = "info") -> Markup:
    return Markup('<span class="badge badge--{}">{}</span>').format(tone, label)
