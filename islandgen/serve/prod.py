"""`islandgen serve --prod`: a built folder served as a static host would, to check a deploy.

Given a site folder it serves that site's build output under the site's
`base_path`; given the output folder itself it serves that, taking the base
path from `--base-path` or from the site the folder was built from.
"""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

from ..config import CONFIG_FILE, load_config
from ..errors import EXIT_OK, UsageError
from .httpd import bind, serve_until_stopped, server_url, stop_on_sigterm
from .report import Reporter
from .static import StaticHost


def serve_prod(path: Path, *, host: str, port: int, base_path: str | None = None,
               open_browser: bool = False, quiet: bool = False) -> int:
    """Serve the built folder at `path` until Ctrl+C or SIGTERM; returns the exit code."""
    folder, site_base = find_output(path)
    base = normalize_base_path(base_path) if base_path is not None else site_base
    server = bind(host, port, StaticHost(folder.resolve(), base))
    url = server_url(server, base)
    Reporter(path, quiet=quiet).serving(url, f"from {folder} as a static host would")
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    with stop_on_sigterm():
        serve_until_stopped(server)
    return EXIT_OK


def find_output(path: Path) -> tuple[Path, str]:
    """(folder to serve, base path) for a site folder or a build output folder."""
    if (path / CONFIG_FILE).is_file():
        config = load_config(path)
        folder = path / config.build.output
        if not folder.is_dir():
            raise UsageError(f"the site at {path} has not been built ({folder} is missing)",
                             hint=f"run `islandgen build {path}` first")
        return folder, config.base_path
    if not path.is_dir():
        raise UsageError(f"no built site at {path}",
                         hint="pass the output folder (such as dist/) or the site folder")
    return path, _base_of_parent_site(path)


def _base_of_parent_site(folder: Path) -> str:
    """The base path of the site `folder` is the output of, if it sits in one."""
    site = folder.resolve().parent
    if not (site / CONFIG_FILE).is_file():
        return "/"
    config = load_config(site)
    return config.base_path if (site / config.build.output).resolve() == folder.resolve() else "/"


def normalize_base_path(value: str) -> str:
    """'sub', '/sub' and '/sub/' all mean '/sub/', as in islandgen.yaml."""
    inner = value.strip().strip("/")
    return f"/{inner}/" if inner else "/"
