"""Server modules -> `Function` records: id, parameters, annotations; and the manifest (stdlib only).

The manifest (`manifest.json` in the bundle) is the allow-list: a function
is callable only if it is listed there by id, module and name. The build
writes it from the site's `"use server"` modules; the bundle reads it back
and imports exactly the modules it names.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, get_args, get_type_hints

from . import schema

MANIFEST_FILE = "manifest.json"
MANIFEST_VERSION = 1
ID_LENGTH = 16
DEFAULT_MAX_BODY = 1024 * 1024
SERVER_PACKAGE = "server"


class SignatureProblem(TypeError):
    """A server function whose parameters cannot take network input; `parameter` names which."""

    def __init__(self, function: str, parameter: str | None, message: str) -> None:
        super().__init__(message)
        self.function = function
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Parameter:
    name: str
    annotation: Any
    required: bool
    repeated: bool  # a list-like annotation: takes every value of a repeated form field
    boolean: bool  # an unchecked checkbox (field absent) means False


@dataclass(frozen=True)
class Function:
    """One callable server function."""

    id: str
    module: str  # dotted: server.likes
    name: str
    call: Callable[..., Any] = field(repr=False, compare=False)
    params: tuple[Parameter, ...]
    is_async: bool

    @property
    def qualified(self) -> str:
        return f"{self.module}:{self.name}"


@dataclass(frozen=True)
class Settings:
    """What the dispatcher enforces besides the allow-list (from the site's config)."""

    allowed_origins: tuple[str, ...] = ()  # besides the request's own origin
    max_body: int = DEFAULT_MAX_BODY
    cors: bool = False  # answer CORS preflights for the allowed origins (own functions origin)
    site_url: str = ""  # where a form goes back to when it names no page

    def to_json(self) -> dict[str, Any]:
        return {"allowed_origins": list(self.allowed_origins), "max_body": self.max_body,
                "cors": self.cors, "site_url": self.site_url}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Settings:
        return cls(tuple(data.get("allowed_origins", ())), int(data.get("max_body", DEFAULT_MAX_BODY)),
                   bool(data.get("cors", False)), str(data.get("site_url", "")))


def function_id(module_file: str, name: str) -> str:
    """Stable across builds and machines: from the module's path in the site and the name."""
    return hashlib.sha256(f"{module_file}\0{name}".encode()).hexdigest()[:ID_LENGTH]


def module_name(module_file: str) -> str:
    """`server/admin/users.py` -> `server.admin.users`."""
    return module_file.removesuffix(".py").replace("/", ".")


def inspect_function(call: Callable[..., Any], id: str, module: str, name: str) -> Function:
    """The function's record; raises SignatureProblem or schema.Unsupported for what cannot work."""
    qualified = f"{module}:{name}"
    try:
        hints = get_type_hints(call, include_extras=True)
    except Exception as error:
        raise SignatureProblem(qualified, None, f"its annotations cannot be resolved: {error}") from None
    params: list[Parameter] = []
    for param in inspect.signature(call).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD, param.POSITIONAL_ONLY):
            raise SignatureProblem(qualified, param.name,
                                   f"parameter {param.name!r} must be an ordinary named parameter "
                                   "(no *args, **kwargs or positional-only /)")
        if param.name not in hints:
            raise SignatureProblem(qualified, param.name,
                                   f"parameter {param.name!r} has no annotation; arguments come from "
                                   "the network and are checked against it (write `: Any` to take anything)")
        annotation = hints[param.name]
        try:
            schema.describe(annotation)
        except schema.Unsupported as error:
            raise SignatureProblem(qualified, param.name, f"parameter {param.name!r}: {error}") from None
        plain = schema.plain(annotation)
        members = get_args(plain) if schema.rule_for(plain).name == "union" else (plain,)
        params.append(Parameter(
            param.name, annotation, param.default is param.empty,
            repeated=any(schema.rule_for(m).name == "list" for m in members),
            boolean=plain is bool,
        ))
    return Function(id, module, name, call, tuple(params), inspect.iscoroutinefunction(call))


def describe_function(function: Function, module_file: str) -> dict[str, Any]:
    """A manifest entry: where the function lives and the schema of its parameters."""
    hints = get_type_hints(function.call, include_extras=True)
    returns = hints.get("return")
    returned: dict[str, Any] | None = None
    if returns is not None:
        try:
            returned = schema.describe(returns)
        except schema.Unsupported:
            returned = {"description": repr(returns)}
    return {
        "module": function.module,
        "file": module_file,
        "name": function.name,
        "async": function.is_async,
        "params": [{"name": p.name, "required": p.required, "schema": schema.describe(p.annotation)}
                   for p in function.params],
        "returns": returned,
    }


def manifest_json(functions: Iterable[tuple[Function, str]], settings: Settings) -> str:
    """The manifest's text, sorted and stable."""
    entries = {f.id: describe_function(f, file) for f, file in sorted(functions, key=lambda e: e[0].id)}
    data = {"version": MANIFEST_VERSION, "settings": settings.to_json(), "functions": entries}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def import_server_modules(root: Path, names: Iterable[str]) -> dict[str, ModuleType]:
    """Import `server.*` modules freshly from `root` (a site folder or a bundle).

    Earlier imports of the `server` package are dropped first, so an edited
    module is read again and two sites never see each other's modules. `root`
    stays on `sys.path` only while importing.
    """
    for loaded in [n for n in sys.modules if n == SERVER_PACKAGE or n.startswith(SERVER_PACKAGE + ".")]:
        del sys.modules[loaded]
    importlib.invalidate_caches()
    sys.path.insert(0, str(root))
    try:
        return {name: importlib.import_module(name) for name in names}
    finally:
        sys.path.remove(str(root))


def load_manifest(root: Path) -> tuple[dict[str, Function], Settings]:
    """The bundle's functions, imported and checked, and its settings."""
    data = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
    if data.get("version") != MANIFEST_VERSION:
        raise RuntimeError(f"{root / MANIFEST_FILE}: unknown manifest version {data.get('version')!r}")
    entries: dict[str, dict[str, Any]] = data["functions"]
    modules = import_server_modules(root, sorted({e["module"] for e in entries.values()}))
    functions = {
        id: inspect_function(getattr(modules[e["module"]], e["name"]), id, e["module"], e["name"])
        for id, e in entries.items()
    }
    return functions, Settings.from_json(data.get("settings", {}))
