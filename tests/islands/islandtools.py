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
