"""`python -m islandgen` is the `islandgen` command."""

from .cli import run

run()
