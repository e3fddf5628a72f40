"""Client code: 'use client' modules -> a module graph -> hashed chunks, a manifest and the runtime."""

from pathlib import Path

RUNTIME_DIR = Path(__file__).parent / "runtime"
RUNTIME_ENTRY = RUNTIME_DIR / "island.js"  # the <ig-island> runtime; build it as a chunk too
