"""Helpers for the islands tests: the runtime's path and a way to run it under Node."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
RUNTIME = HERE.parents[1] / "islandgen" / "client" / "runtime" / "island.js"
DECODER = RUNTIME.with_name("decode.js")


def node_json(script: Path, *args: str, stdin: str = "") -> Any:
    """Run a Node harness and parse the JSON it prints."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    done = subprocess.run(
        [node, str(script), *args], input=stdin, capture_output=True, text=True, timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def read_fixture(path: Path) -> list[tuple[str, str, str]]:
    """Cases of a fixture file: a title line, then input and expected output, each closed by `.`.

        title
        .
        input lines
        .
        expected lines
        .
    """
    cases: list[tuple[str, str, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{path}:{i + 2}: expected '.' after the title"
        parts: list[list[str]] = [[], []]
        i += 2
        for part in parts:
            while lines[i] != ".":
                part.append(lines[i])
                i += 1
            i += 1
        cases.append((title, "\n".join(parts[0]) + "\n", "\n".join(parts[1])))
    return cases
