"""`import.meta.env` in client modules -> checked names and the literals that replace them.

Only variables named `ISLANDGEN_PUBLIC_*` reach the browser; naming any other
is a build error, so a secret cannot ship by a typo. A public variable that is
not set becomes `undefined`; the bare `import.meta.env` object becomes an
object literal of the public variables that are set.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from ..errors import ComponentError
from .scan import EnvRef, ModuleScan

PUBLIC_PREFIX = "ISLANDGEN_PUBLIC_"


def check_env(module: ModuleScan) -> None:
    """Raise ComponentError at the first non-public `import.meta.env.X` of a module."""
    for ref in module.env:
        if ref.name is not None and not ref.name.startswith(PUBLIC_PREFIX):
            raise ComponentError(
                f"import.meta.env.{ref.name} is not visible to client code",
                path=module.path, line=ref.line,
                hint=f"only environment variables named {PUBLIC_PREFIX}* reach the browser; "
                f"rename it {PUBLIC_PREFIX}{ref.name} if it is safe to publish",
            )


def public_env(environ: Mapping[str, str]) -> dict[str, str]:
    """The public variables of an environment, sorted by name."""
    return {k: environ[k] for k in sorted(environ) if k.startswith(PUBLIC_PREFIX)}


def env_literal(ref: EnvRef, environ: Mapping[str, str]) -> str:
    """The JavaScript that replaces one `import.meta.env` expression."""
    if ref.name is None:
        return f"({json.dumps(public_env(environ), ensure_ascii=False)})"
    if not ref.name.startswith(PUBLIC_PREFIX):
        raise ValueError(f"{ref.name} is not public; check_env should have refused it")
    if ref.name in environ:
        return json.dumps(environ[ref.name], ensure_ascii=False)
    return "undefined"
