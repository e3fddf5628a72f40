"""YAML text -> Python data plus the line of every key, with duplicate keys refused.

Config, theme.yaml and front matter all go through here so that every later
error about a key can point at the line the user wrote it on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, IslandgenError

try:  # the C loader is several times faster; the construction hooks below are Python either way
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that refuses duplicate keys and records where each key was written."""

    line_offset: int


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.MarkedYAMLError(problem="a list or mapping cannot be a key",
                                       problem_mark=key_node.start_mark) from None
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r} (first given on line {seen[key] + loader.line_offset})",
                problem_mark=key_node.start_mark,
            )
        seen[key] = line
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(
    text: str,
    path: Path,
    *,
    line_offset: int = 0,
    error: type[IslandgenError] = ContentError,
) -> tuple[Any, dict[str, int]]:
    """Parse YAML; return the data and {top-level key: 1-based line in the file}.

    `line_offset` is the number of file lines before `text` (the `---` fence of
    front matter), so reported lines are lines of the file, not of the snippet.
    """
    loader = _Loader(text)
    loader.line_offset = line_offset
    key_lines: dict[str, int] = {}
    try:
        node = loader.get_single_node()
        if node is not None:
            _record_lines(node, "", line_offset, key_lines)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise error(
            f"invalid YAML: {problem}",
            path=path,
            line=line,
            hint="check indentation, and quote values that contain ':' or start with '{', '[', '@' or '*'",
        ) from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", path=path) from None
    finally:
        loader.dispose()
    return data, key_lines


def _record_lines(node: yaml.Node, prefix: str, offset: int, into: dict[str, int]) -> None:
    """Map dotted key paths ('markdown.highlight') to the file line they are written on."""
    if not isinstance(node, yaml.MappingNode):
        return
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            dotted = f"{prefix}{key_node.value}"
            into.setdefault(dotted, key_node.start_mark.line + 1 + offset)
            _record_lines(value_node, dotted + ".", offset, into)
