"""`python -m islandgen` is the `islandgen` command."""

from .cli import main

raise SystemExit(main())
