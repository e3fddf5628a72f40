"use server"
# Likes per post. Every public function of a "use server" module is a server function:
# an endpoint POST /_fn/<id>, whose arguments are checked against the annotations.

from .db import connect


def like_post(post_id: str) -> int:
    """One more like for the post; the new count."""
    with connect() as db:
        (count,) = db.execute(
            "INSERT INTO likes (post_id, count) VALUES (?, 1) "
            "ON CONFLICT (post_id) DO UPDATE SET count = count + 1 RETURNING count",
            (post_id,),
        ).fetchone()
    return int(count)
