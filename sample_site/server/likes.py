"use server"
# Likes per post: the LikeButton island calls these over HTTP (and its form posts without JS).

from .db import connect


def like_post(post_id: str) -> int:
    """Add one like; the new count. One statement, so concurrent likes are never lost."""
    with connect() as db:
        (count,) = db.execute(
            "INSERT INTO likes (post_id, count) VALUES (?, 1) "
            "ON CONFLICT (post_id) DO UPDATE SET count = count + 1 RETURNING count",
            (post_id,),
        ).fetchone()
    return int(count)


def count_likes(post_id: str) -> int:
    with connect() as db:
        row = db.execute("SELECT count FROM likes WHERE post_id = ?", (post_id,)).fetchone()
    return int(row[0]) if row else 0
