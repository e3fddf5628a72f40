"""`islandgen serve`: build the site once and serve the output folder on 127.0.0.1."""

from __future__ import annotations

import errno
import functools
import http.server
from pathlib import Path

from ..build import BuildOptions, build
from ..config import load_config
from ..console import console
from ..errors import UsageError
from .static import StaticHandler


def serve(site: Path, *, host: str, port: int, drafts: bool, quiet: bool) -> int:
    """Build, then serve until interrupted. Returns the exit code."""
    result = build(site, BuildOptions(drafts=drafts or None, future=drafts or None))
    config = load_config(site)
    handler = functools.partial(StaticHandler, root=result.out_dir, base_path=config.base_path)
    try:
        server = http.server.ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is already in use",
                             hint="stop the other server, or pass --port 0 to pick a free port") from None
        raise
    url = f"http://{host}:{server.server_address[1]}{config.base_path}"
    if not quiet:
        console().print(f"[green]serving[/] {len(result.routes)} pages at [bold]{url}[/] (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
