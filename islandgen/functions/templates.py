"""`SiteFunctions` -> the `server` template global: `{{ server.likes.like_post }}` and its `.bind()`.

`server.<module>.<function>` is a `FunctionRef`. As text it is the function's
endpoint URL, so it goes straight into a form's `action`; passed as a prop to
a client component it crosses as `$h` and arrives as an async function.
`.bind(name=value)` pre-fills arguments: `.hidden_fields()` writes them into a
form, and a bound reference passed as a prop sends them with every call. A
misspelt module, function or parameter stops the build at the template line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from ..errors import TemplateError, suggest
from ..islands.codec import ServerReference
from ..render.location import call_site
from .discover import ServerModule, SiteFunctions
from .registry import Function

_NO_FUNCTIONS = ('this site has no server functions: add a module under server/ whose first '
                 'statement is "use server"')


def _error(message: str, hint: str | None) -> TemplateError:
    site = call_site(skip=3)
    return TemplateError(message, path=site.path, line=site.line, hint=hint)


class FunctionRef(ServerReference):
    """One server function as templates see it, with the arguments bound so far."""

    template_name = "server function"

    def __init__(self, function: Function, url: str, bound: Mapping[str, Any] | None = None) -> None:
        self._function = function
        self._url = url
        self._bound = dict(bound or {})

    @property
    def id(self) -> str:
        return self._function.id

    @property
    def url(self) -> str:
        return self._url

    @property
    def bound(self) -> Mapping[str, Any]:
        return self._bound

    def bind(self, **values: Any) -> FunctionRef:
        """The same function with these arguments pre-filled (by parameter name)."""
        names = [p.name for p in self._function.params]
        for name in values:
            if name not in names:
                raise _error(f"{self._function.name}() has no parameter {name!r}",
                             suggest(name, names) or f"its parameters: {', '.join(names) or 'none'}")
        return FunctionRef(self._function, self._url, {**self._bound, **values})

    def hidden_fields(self) -> Markup:
        """`<input type="hidden">` for each bound argument, to put inside the form."""
        inputs = []
        for name, value in self._bound.items():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                inputs.append(Markup('<input type="hidden" name="{}" value="{}">').format(
                    name, self._form_text(name, item)))
        return Markup("").join(inputs)

    fields = hidden_fields

    def _form_text(self, name: str, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return ""
        if isinstance(value, (str, int, float)):
            return str(value)
        raise _error(f"bound argument {name!r} of {self._function.name}() cannot go in a form field "
                     f"({type(value).__name__})", "bind text, numbers, booleans, None or lists of them")

    def __str__(self) -> str:
        return self._url

    def __html__(self) -> str:
        return str(escape(self._url))

    def __repr__(self) -> str:
        return f"<server function {self._function.qualified} at {self._url}>"


class ServerNamespace:
    """`server` and `server.<folder>`: module and folder names below server/."""

    template_name = "server"

    def __init__(self, site: SiteFunctions | None, prefix: str = "server") -> None:
        self._site = site
        self._prefix = prefix

    def _children(self) -> dict[str, str]:
        """Next name -> the dotted module or folder it leads to."""
        found: dict[str, str] = {}
        for module in (self._site.modules.values() if self._site else ()):
            if module.name.startswith(self._prefix + "."):
                rest = module.name[len(self._prefix) + 1:]
                found.setdefault(rest.split(".", 1)[0], f"{self._prefix}.{rest.split('.', 1)[0]}")
        return found

    def __getattr__(self, name: str) -> ServerNamespace | ModuleFunctions:
        if name.startswith("_"):
            raise AttributeError(name)
        if self._site is None:
            raise _error(f"server.{name}: {_NO_FUNCTIONS}", None)
        children = self._children()
        if name not in children:
            raise _error(f"no server module {self._prefix}.{name}",
                         suggest(name, children) or f"server modules: {', '.join(children) or 'none'}")
        module = next((m for m in self._site.modules.values() if m.name == children[name]), None)
        if module is not None:
            return ModuleFunctions(self._site, module)
        return ServerNamespace(self._site, children[name])

    def __repr__(self) -> str:
        return f"<{self._prefix}>"


class ModuleFunctions:
    """`server.likes`: the functions of one server module."""

    template_name = "server module"

    def __init__(self, site: SiteFunctions, module: ServerModule) -> None:
        self._site = site
        self._module = module

    def __getattr__(self, name: str) -> FunctionRef:
        if name.startswith("_"):
            raise AttributeError(name)
        function = self._module.functions.get(name)
        if function is None:
            names = list(self._module.functions)
            raise _error(f"{self._module.file} has no server function {name!r}",
                         suggest(name, names) or f"its functions: {', '.join(names) or 'none'}")
        return FunctionRef(function, self._site.url(function.id))

    def __repr__(self) -> str:
        return f"<{self._module.name}>"
