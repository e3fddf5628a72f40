"""Files in components/ -> callables that check their props and render HTML.

A template component declares its props with `{% props title, href=None %}`; a
Python component is a capitalised function whose parameters are its props.
Both are called the same way from templates and Markdown, and every mistake
(unknown name, unknown or missing prop, a cycle) names the caller's file:line.
"""

from __future__ import annotations

import contextvars
import inspect
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

from ..deps import record
from ..errors import ComponentError, TemplateError, suggest
from ..sitecode import import_site_module
from ..themes import Layer
from .location import call_site

TEMPLATE_SUFFIXES = (".html", ".jinja")
MAX_DEPTH = 64
_REQUIRED = object()
_PROPS_TAG = re.compile(r"\{%-?\s*props\b(.*?)-?%\}", re.DOTALL)


# The component calls being rendered, innermost last; a repeat means a cycle.
_active: contextvars.ContextVar[tuple[tuple[str, object], ...]] = contextvars.ContextVar(
    "islandgen_active_components", default=()
)
class PropsExtension(Extension):
    """`{% props a, b=1 %}`: declares a component's props; renders nothing."""

    tags = {"props"}  # noqa: RUF012 - Jinja's API is a class attribute

    def parse(self, parser: Parser) -> nodes.Node:
        lineno = next(parser.stream).lineno
        while parser.stream.current.type != "block_end":
            parser.stream.skip()
        return nodes.Output([], lineno=lineno)


@dataclass(frozen=True)
class Prop:
    name: str
    default: Any = _REQUIRED

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED


class Component:
    """Shared call protocol: validate props, detect cycles, render to Markup."""

    name: str
    path: Path
    kind = "server"
    _declared_props: dict[str, Prop] | None = None

    def props(self) -> Sequence[Prop]:
        raise NotImplementedError

    def accepts_children(self) -> bool:
        return True

    @property
    def files(self) -> tuple[Path, ...]:
        """The files the component is made of (a change to any re-renders its users)."""
        return (self.path,)

    def open_props(self) -> bool:
        """True when the component takes props it does not declare."""
        return False

    def templates(self) -> tuple[str, ...]:
        """The names of the Jinja templates it renders with."""
        return ()

    def render(self, props: dict[str, Any], children: Markup | None) -> Markup:
        """The HTML; `children` is None when the call had no `{% call %}` body."""
        raise NotImplementedError

    def __call__(self, *args: Any, caller: Callable[[], str] | None = None, **kwargs: Any) -> Markup:
        record(("component", self.name))
        declared = self._declared()
        if args:
            raise self._error("pass props by name, e.g. Card(title=...)")
        for key in kwargs:
            if key not in declared and not self.open_props():
                hint = suggest(key, declared) or f"its props are: {', '.join(declared) or 'none'}"
                raise self._error(f"unknown prop {key!r}", hint)
        for prop in declared.values():
            if prop.required and prop.name not in kwargs:
                raise self._error(f"missing required prop {prop.name!r}")
        if caller is not None and not self.accepts_children():
            raise self._error("takes no children", "call it with {{ ... }}, not {% call %}")
        values = {p.name: kwargs.get(p.name, p.default) for p in declared.values()}
        if self.open_props():
            values.update(kwargs)
        with _entered(self, values):
            children = Markup(caller()) if caller is not None else None
            return self.render(values, children)

    def _declared(self) -> dict[str, Prop]:
        if self._declared_props is None:
            self._declared_props = {prop.name: prop for prop in self.props()}
        return self._declared_props

    def _error(self, message: str, hint: str | None = None) -> ComponentError:
        """An error at the calling template's line (found only now: walking frames is slow)."""
        site = call_site(skip=3)
        return ComponentError(
            f"component {self.name}: {message}",
            path=site.path,
            line=site.line,
            hint=hint or f"{self.name} is defined in {self.path}",
        )


class TemplateComponent(Component):
    """A Jinja template in components/."""

    def __init__(self, name: str, path: Path, template_name: str, env: Environment) -> None:
        self.name = name
        self.path = path
        self.template_name = template_name
        self.env = env
        self._props: tuple[Prop, ...] | None = None

    def props(self) -> Sequence[Prop]:
        if self._props is None:
            self._props = _parse_props(self.env, self.path)
        return self._props

    def templates(self) -> tuple[str, ...]:
        return (self.template_name,)

    def render(self, props: dict[str, Any], children: Markup | None) -> Markup:
        template = self.env.get_template(self.template_name)
        html = template.render({**props, "children": children or Markup("")})
        return Markup(html.removesuffix("\n"))  # the file's last newline is not part of the output


class PythonComponent(Component):
    """A capitalised function in a components/*.py module."""

    def __init__(self, name: str, path: Path, function: Callable[..., Any]) -> None:
        self.name = name
        self.path = path
        self.function = function
        self._signature = inspect.signature(function)

    def props(self) -> Sequence[Prop]:
        return tuple(
            Prop(p.name, _REQUIRED if p.default is inspect.Parameter.empty else p.default)
            for p in self._signature.parameters.values()
            if p.name != "children" and p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        )

    def accepts_children(self) -> bool:
        return "children" in self._signature.parameters

    def render(self, props: dict[str, Any], children: Markup | None) -> Markup:
        if self.accepts_children():
            props = {**props, "children": children or Markup("")}
        return Markup(str(self.function(**props)))


def discover_components(layers: Sequence[Layer], env: Environment) -> dict[str, Component]:
    """Every component the site can use; nearer layers override farther ones by name."""
    found: dict[str, Component] = {}
    for layer in reversed(layers):
        root = layer.path / "components"
        if not root.is_dir():
            continue
        in_layer: dict[str, Path] = {}
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.name.startswith((".", "_")):
                continue
            for component in _components_in(path, layer, env):
                if component.name in in_layer:
                    raise ComponentError(
                        f"two components are named {component.name!r}: "
                        f"{in_layer[component.name]} and {path}",
                        path=path,
                        hint="rename one of them",
                    )
                in_layer[component.name] = path
                found[component.name] = component
    return found


def _components_in(path: Path, layer: Layer, env: Environment) -> Iterator[Component]:
    if path.suffix in TEMPLATE_SUFFIXES:
        template_name = path.relative_to(layer.path).as_posix()
        if layer.is_theme:
            template_name = f"{layer.name}:{template_name}"
        yield TemplateComponent(path.stem, path, template_name, env)
    elif path.suffix == ".py":
        module = import_site_module(path, f"islandgen_components.{layer.name}", ComponentError,
                                    "the component module")
        for attr, value in sorted(vars(module).items()):
            if attr[:1].isupper() and inspect.isfunction(value) and value.__module__ == module.__name__:
                yield PythonComponent(attr, path, value)


def _parse_props(env: Environment, path: Path) -> tuple[Prop, ...]:
    """Read the `{% props ... %}` declaration as if it were a call's arguments."""
    source = path.read_text(encoding="utf-8")
    declaration = _find_props_tag(source)
    if declaration is None:
        return ()
    text, line = declaration
    try:
        call = env.parse("{{ __props(" + text + ") }}").find(nodes.Call)
    except Exception as exc:
        raise TemplateError(
            f"cannot read the props declaration: {exc}",
            path=path,
            line=line,
            hint="write it as {% props title, href=None, tags=[] %}",
        ) from None
    assert call is not None
    props: list[Prop] = []
    for arg in call.args:
        if not isinstance(arg, nodes.Name):
            raise TemplateError("props are names, optionally with a default", path=path, line=line)
        props.append(Prop(arg.name))
    for keyword in call.kwargs:
        try:
            props.append(Prop(keyword.key, keyword.value.as_const()))
        except nodes.Impossible:
            raise TemplateError(
                f"the default of prop {keyword.key!r} must be a literal",
                path=path,
                line=line,
                hint="use a string, number, list, dict, true, false or none",
            ) from None
    return tuple(props)


def _find_props_tag(source: str) -> tuple[str, int] | None:
    match = _PROPS_TAG.search(source)
    if match is None:
        return None
    return match.group(1).strip(), source.count("\n", 0, match.start()) + 1


class _entered:
    """Context manager that pushes a component call and refuses cycles."""

    def __init__(self, component: Component, values: Mapping[str, Any]) -> None:
        self.key = (component.name, _fingerprint(values))
        self.component = component
        self.token: contextvars.Token[tuple[tuple[str, object], ...]] | None = None

    def __enter__(self) -> None:
        stack = _active.get()
        if self.key in stack or len(stack) >= MAX_DEPTH:
            chain = " -> ".join(name for name, _ in (*stack, self.key))
            site = call_site(skip=2)
            raise ComponentError(
                f"components call each other in a loop: {chain}",
                path=site.path,
                line=site.line,
                hint="a component may call itself only with different props, and must stop",
            )
        self.token = _active.set((*stack, self.key))

    def __exit__(self, *exc: object) -> None:
        assert self.token is not None
        _active.reset(self.token)


def _fingerprint(values: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
    """Props by identity: a call repeating its caller's very objects can only recurse forever.

    (Equal but new objects are caught by MAX_DEPTH instead; identity is cheap, and
    every value on the stack is alive, so ids are not reused meanwhile.)
    """
    return tuple((key, id(value)) for key, value in values.items())
