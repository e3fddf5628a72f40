"""`SiteFunctions` -> `dist-functions/`: a deployable, stdlib-only server for the site's functions.

    dist-functions/
      app.py              wsgi_app, asgi_app, lambda_handler
      manifest.json       function id -> module:function + parameter schema (the allow-list)
      requirements.txt    the site's own server/requirements.txt (islandgen is not one)
      server/...          every file of the site's server/ folder
      islandgen/          the runtime modules (wire, schema, request, forms, registry,
                          dispatch, adapters), so `from islandgen.functions import request`
                          works without islandgen installed

The folder is written whole into a staging folder and swapped in, and only
when its bytes changed; `zip` also writes `dist-functions.zip` (sorted, fixed
timestamps: two builds give the same bytes) for AWS Lambda.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from ..config import Config
from ..errors import ConfigError
from .discover import SiteFunctions
from .registry import MANIFEST_FILE, SERVER_PACKAGE

HERE = Path(__file__).parent
# The modules the bundle needs, all stdlib only (a test imports them with islandgen absent).
RUNTIME_MODULES = ("__init__.py", "adapters.py", "dispatch.py", "forms.py", "registry.py",
                   "request.py", "schema.py", "wire.py")
REQUIREMENTS = "requirements.txt"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)

APP = '''"""Server functions of this site: WSGI, ASGI and AWS Lambda entry points (written by islandgen).

    gunicorn app:wsgi_app          uvicorn app:asgi_app          Lambda handler: app.lambda_handler

Only the standard library and requirements.txt are needed; server code lives in server/,
the allow-list of callable functions in manifest.json.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from islandgen.functions.adapters import make_asgi, make_lambda, make_wsgi  # noqa: E402
from islandgen.functions.dispatch import Dispatcher  # noqa: E402
from islandgen.functions.registry import load_manifest  # noqa: E402

dispatcher = Dispatcher(*load_manifest(ROOT))
wsgi_app = make_wsgi(dispatcher)
asgi_app = make_asgi(dispatcher)
lambda_handler = make_lambda(dispatcher)
'''

SHIM = '''"""The part of islandgen a functions bundle needs: islandgen.functions (stdlib only)."""
'''


def functions_dir(site_dir: Path, config: Config, out_dir: Path) -> Path:
    """Where the bundle goes; never inside the static output (it would be published)."""
    target = (site_dir / config.functions.output).absolute()
    out = out_dir.absolute()
    if target == out or target.is_relative_to(out) or out.is_relative_to(target):
        raise ConfigError(
            f"functions.output {config.functions.output!r} overlaps the static output {out}",
            path=site_dir / "islandgen.yaml",
            hint="server code must never be published with the site: use a folder beside it, "
            "such as dist-functions",
        )
    return target


def bundle_files(site: SiteFunctions) -> dict[PurePosixPath, bytes]:
    """Every file of the bundle, by relative path."""
    files = {
        PurePosixPath("app.py"): APP.encode(),
        PurePosixPath(MANIFEST_FILE): site.manifest().encode(),
        PurePosixPath("islandgen", "__init__.py"): SHIM.encode(),
    }
    for name in RUNTIME_MODULES:
        files[PurePosixPath("islandgen", "functions", name)] = (HERE / name).read_bytes()
    for rel in site.files:
        files[PurePosixPath(rel)] = (site.site_dir / rel).read_bytes()
    declared = site.site_dir / SERVER_PACKAGE / REQUIREMENTS
    files[PurePosixPath(REQUIREMENTS)] = declared.read_bytes() if declared.is_file() else \
        b"# the site's server/requirements.txt lists none; the bundle needs only the standard library\n"
    return dict(sorted(files.items()))


def write_bundle(site: SiteFunctions | None, target: Path, *, zip: bool = False) -> bool:
    """Write the bundle if its bytes changed (and the zip when asked); True when written."""
    if site is None:
        return False
    files = bundle_files(site)
    changed = not _same(target, files)
    if changed:
        _replace(target, files)
    archive = target.with_name(target.name + ".zip")
    if zip and (changed or not archive.is_file()):
        _zip(archive, files)
    return changed


def _same(target: Path, files: Mapping[PurePosixPath, bytes]) -> bool:
    if not target.is_dir():
        return False
    present = {PurePosixPath(p.relative_to(target).as_posix()) for p in target.rglob("*")
               if p.is_file() and "__pycache__" not in p.parts}
    return present == set(files) and all((target / rel).read_bytes() == data
                                          for rel, data in files.items())


def _replace(target: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    """Stage the new bundle beside the old one, then swap: never a half-written bundle."""
    stage = target.with_name(f".{target.name}.{os.getpid()}.new")
    old = target.with_name(f".{target.name}.{os.getpid()}.old")
    shutil.rmtree(stage, ignore_errors=True)
    for rel, data in files.items():
        path = stage / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if target.exists():
        target.rename(old)
    stage.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _zip(archive: Path, files: Mapping[PurePosixPath, bytes]) -> None:
    partial = archive.with_name(f".{archive.name}.{os.getpid()}")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as bundle:
        for rel, data in files.items():
            info = zipfile.ZipInfo(rel.as_posix(), date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    partial.replace(archive)
