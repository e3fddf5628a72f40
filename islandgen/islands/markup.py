"""Island facts -> the HTML the runtime reads: the `<ig-island>` element and the page payload."""

from __future__ import annotations

from html import escape

from .codec import embed_payload
from .strategies import Strategy, format_client, renders_shell

PAYLOAD_ID = "ig-props"


def island_element(
    *,
    uid: str,
    component_url: str,
    strategies: tuple[Strategy, ...],
    shell_html: str = "",
    children_html: str | None = None,
    export: str | None = None,
) -> str:
    """`<ig-island uid=.. component=.. client=..>shell<template data-slot="default">..`.

    The shell is dropped for `client="only"`; children (server-rendered HTML
    passed with `{% call %}`) travel in an inert template for `ctx.children`.
    """
    attributes = [("uid", uid), ("component", component_url), ("client", format_client(strategies))]
    if export:
        attributes.append(("export", export))
    shown = " ".join(f'{name}="{escape(value, quote=True)}"' for name, value in attributes)
    shell = shell_html if renders_shell(strategies) else ""
    slot = (
        f'<template data-slot="default">{children_html}</template>'
        if children_html is not None
        else ""
    )
    return f"<ig-island {shown}>{shell}{slot}</ig-island>"


def payload_script(payload_json: str) -> str:
    """The page payload, embedded so no value can close the element."""
    return f'<script type="application/json" id="{PAYLOAD_ID}">{embed_payload(payload_json)}</script>'


def payload_file_script(url: str) -> str:
    """A payload moved to a JSON file: the runtime fetches `data-src`."""
    return (
        f'<script type="application/json" id="{PAYLOAD_ID}" '
        f'data-src="{escape(url, quote=True)}"></script>'
    )


def runtime_script(runtime_url: str, preload_urls: tuple[str, ...] = ()) -> str:
    """The runtime module plus a modulepreload link for every chunk that loads at once."""
    links = "".join(
        f'<link rel="modulepreload" href="{escape(url, quote=True)}">' for url in preload_urls
    )
    return f'{links}<script type="module" src="{escape(runtime_url, quote=True)}"></script>'
