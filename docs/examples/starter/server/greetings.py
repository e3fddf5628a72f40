"use server"
# Server functions: every public function of this module can be called from the browser
# (a client component imports it) or by a form post. They run on a server (`islandgen serve`,
# or the bundle `islandgen build` writes to dist-functions/), never in the static output.
# Arguments are checked against the annotations before the call.


def greet(name: str) -> str:
    """A greeting for `name`."""
    return f"Hello, {name.strip() or 'stranger'}!"
