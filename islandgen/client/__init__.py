"""Client code: 'use client' modules -> a module graph -> hashed chunks, a manifest and the runtime."""

from pathlib import Path

RUNTIME_DIR = Path(__file__).parent / "runtime"
# The <ig-island> runtime, built as a chunk too; every page with islands loads it.
RUNTIME_ENTRY = RUNTIME_DIR / "island.js"
# Runtime modules it imports on demand (pages that need one at once preload it):
DECODER = RUNTIME_DIR / "decode.js"  # the props decoder, for a payload with tags or in a file
INTERACTION = RUNTIME_DIR / "interaction.js"  # the `interaction` strategy
# The server function client: stubs import it, the decoder loads it for `$h` props.
FUNCTIONS_CLIENT = Path(__file__).parents[1] / "functions" / "client.js"
