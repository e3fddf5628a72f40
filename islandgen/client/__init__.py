"""Client code: 'use client' modules -> a module graph -> hashed chunks, a manifest and the runtime."""
