"""The site's server/ folder -> its "use server" modules and their functions (`SiteFunctions`).

A module is a server module when its first statement is the string
`"use server"`; every public top-level function defined in it (async or
plain, name not starting with `_`) is a server function. Other modules in
server/ are helpers: they ship in the bundle but export nothing.

Finding the functions reads the source (so imported names are never
exported); checking them imports the modules, as the dev server and the
bundle will, so an annotation islandgen cannot check, or a module that fails
to import, stops the build at its file and line.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..config import Config
from ..errors import IslandgenError, line_in_traceback
from .dispatch import ENDPOINT, Dispatcher
from .registry import (
    SERVER_PACKAGE,
    Function,
    Settings,
    SignatureProblem,
    function_id,
    import_server_modules,
    inspect_function,
    manifest_json,
    module_name,
)

DIRECTIVE = "use server"


class ServerModuleError(IslandgenError):
    """A server module that cannot be loaded, or a function that cannot take network input."""


@dataclass(frozen=True)
class ServerModule:
    """One "use server" module and its functions, in source order."""

    file: str  # server/likes.py
    path: Path
    name: str  # server.likes
    functions: Mapping[str, Function]  # by Python name
    lines: Mapping[str, int]  # each function's `def` line


@dataclass(frozen=True)
class SiteFunctions:
    """Everything the build, the templates, the stubs and the dev server need to know."""

    site_dir: Path
    modules: Mapping[str, ServerModule]  # by file, sorted
    files: tuple[str, ...]  # every file under server/ (helpers and data too), for the bundle
    settings: Settings
    endpoint_base: str  # `/_fn/` under the base path, or `<functions origin>/_fn/`
    digest: str  # changes whenever any file under server/ or the settings change

    def url(self, id: str) -> str:
        """The endpoint of one function, as forms and stubs use it."""
        return self.endpoint_base + id

    def module_at(self, path: Path) -> ServerModule | None:
        """The server module of a `.py` path a client module imports, if it is one."""
        try:
            rel = path.resolve().relative_to(self.site_dir.resolve()).as_posix()
        except ValueError:
            return None
        return self.modules.get(rel)

    def functions(self) -> Iterator[tuple[Function, str]]:
        for module in self.modules.values():
            for function in module.functions.values():
                yield function, module.file

    def dispatcher(self) -> Dispatcher:
        """The in-process dispatcher for these functions (the dev server's)."""
        return Dispatcher({f.id: f for f, _ in self.functions()}, self.settings)

    def manifest(self) -> str:
        return manifest_json(self.functions(), self.settings)


def discover_functions(site_dir: Path, config: Config) -> SiteFunctions | None:
    """The site's server functions, or None when it has no server/ folder with any."""
    root = site_dir / SERVER_PACKAGE
    files = _server_files(root) if root.is_dir() else []
    exported = {rel: names for rel, names in ((rel, _exports(site_dir / rel)) for rel in files)
                if names is not None}
    if not exported:
        return None
    modules = _load(site_dir, exported)
    digest = hashlib.sha256()
    for rel in files:
        digest.update(rel.encode() + b"\0" + (site_dir / rel).read_bytes() + b"\0")
    settings = _settings(config)
    digest.update(repr(settings).encode())
    return SiteFunctions(site_dir, modules, tuple(files), settings, _endpoint_base(config),
                         digest.hexdigest()[:16])


def _server_files(root: Path) -> list[str]:
    """Every file below server/, relative to the site, sorted; caches and dotfiles left out."""
    site = root.parent
    return sorted(
        path.relative_to(site).as_posix() for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
        and not any(part.startswith(".") for part in path.relative_to(site).parts)
    )


def _exports(path: Path) -> dict[str, int] | None:
    """Public top-level functions of a "use server" module with their lines; None for other files."""
    if path.suffix != ".py" or path.name.startswith("_"):
        return None
    source = path.read_bytes()
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as error:
        raise ServerModuleError(f"syntax error: {error.msg}", path=path, line=error.lineno) from None
    if not (tree.body and _is_directive(tree.body[0])):
        late = next((node for node in tree.body if _is_directive(node)), None)
        if late is not None:
            raise ServerModuleError(f'"{DIRECTIVE}" must be the first statement of the module',
                                    path=path, line=late.lineno,
                                    hint="move it above the docstring and the imports")
        return None
    return {node.name: node.lineno for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and not node.name.startswith("_")}


def _is_directive(node: ast.stmt) -> bool:
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and node.value.value == DIRECTIVE)


def _load(site_dir: Path, exported: Mapping[str, dict[str, int]]) -> dict[str, ServerModule]:
    names = {rel: module_name(rel) for rel in exported}
    try:
        loaded = import_server_modules(site_dir, sorted(names.values()))
    except Exception as error:
        raise _import_error(site_dir, error) from None
    modules: dict[str, ServerModule] = {}
    for rel, lines in sorted(exported.items()):
        module = loaded[names[rel]]
        functions: dict[str, Function] = {}
        for name, line in lines.items():
            try:
                functions[name] = inspect_function(getattr(module, name), function_id(rel, name),
                                                   names[rel], name)
            except SignatureProblem as problem:
                raise ServerModuleError(f"server function {name}: {problem.message}",
                                        path=site_dir / rel, line=line,
                                        hint=_hint(problem)) from None
        modules[rel] = ServerModule(rel, site_dir / rel, names[rel], functions, lines)
    return modules


def _hint(problem: SignatureProblem) -> str:
    if problem.parameter is None:
        return "check the names used in its annotations"
    return "annotate it with a type islandgen can check, or rename the function with a leading _ " \
        "to keep it private"


def _import_error(site_dir: Path, error: Exception) -> ServerModuleError:
    """Where in server/ the import failed: the deepest frame in a server file."""
    found: tuple[Path, int] | None = None
    for path in sorted((site_dir / SERVER_PACKAGE).rglob("*.py")):
        line = line_in_traceback(error, path)
        if line is not None:
            found = (path, line)
    if isinstance(error, SyntaxError) and error.filename:
        found = (Path(error.filename), error.lineno or 1)
    if isinstance(error, SyntaxError):
        hint = ('"use server" is the module\'s docstring: `from __future__` imports may follow it, '
                "but not a second docstring") if "__future__" in str(error) else "fix the syntax"
    elif isinstance(error, ImportError):
        hint = ("the build imports server modules to check their functions: install their "
                "requirements where you build (import helpers in server/ relatively: from .db import x)")
    else:
        hint = "the module raised while it was imported; the build imports it to check its functions"
    return ServerModuleError(
        f"importing the server modules failed: {type(error).__name__}: {error}",
        path=found[0] if found else site_dir / SERVER_PACKAGE, line=found[1] if found else None,
        hint=hint,
    )


def _settings(config: Config) -> Settings:
    own = config.functions
    site_origin = _origin(config.base_url)
    allowed = tuple(dict.fromkeys([*([site_origin] if site_origin else []),
                                   *(o.rstrip("/") for o in own.allowed_origins)]))
    site_url = config.base_url + config.base_path if config.base_url else ""
    return Settings(allowed, own.max_body, bool(own.origin), site_url)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}" if rest else ""


def _endpoint_base(config: Config) -> str:
    if config.functions.origin:
        return config.functions.origin.rstrip("/") + ENDPOINT
    return config.base_path.rstrip("/") + ENDPOINT

