"""Request targets -> files: folders, redirects, and every way out of the folder refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from islandgen.serve.resolve import Found, NotFound, Redirect, resolve


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """An output folder with a secret beside it and symlinks pointing in and out."""
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    out = tmp_path / "dist"
    (out / "blog" / "hi").mkdir(parents=True)
    (out / "index.html").write_text("home", encoding="utf-8")
    (out / "blog" / "hi" / "index.html").write_text("hi", encoding="utf-8")
    (out / "a b.txt").write_text("spaced", encoding="utf-8")
    (out / "empty").mkdir()
    (out / "out-file").symlink_to(tmp_path / "secret.txt")
    (out / "out-folder").symlink_to(tmp_path)
    (out / "in-link.html").symlink_to(out / "index.html")
    return out


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/", "index.html"),
        ("/index.html", "index.html"),
        ("/blog/hi/", "blog/hi/index.html"),
        ("/blog/hi/?page=2#top", "blog/hi/index.html"),
        ("/a%20b.txt", "a b.txt"),
        ("/in-link.html", "in-link.html"),
        ("http://example.com/blog/hi/", "blog/hi/index.html"),
    ],
    ids=["home", "index-file", "folder", "query", "percent-encoded", "symlink-inside",
         "absolute-form"],
)
def test_found(root: Path, target: str, expected: str) -> None:
    assert resolve(root, "/", target) == Found(root / expected)


@pytest.mark.parametrize(
    ("target", "location"),
    [("/blog/hi", "/blog/hi/"), ("/blog?x=1", "/blog/?x=1")],
    ids=["folder", "keeps-query"],
)
def test_folder_without_slash_redirects(root: Path, target: str, location: str) -> None:
    assert resolve(root, "/", target) == Redirect(location)


ESCAPES = [
    "/../secret.txt",
    "/blog/../../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/.%2e/secret.txt",
    "/blog/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/blog\\..\\..\\secret.txt",
    "//secret.txt",
    "//etc/passwd",
    "/%2fetc/passwd",
    "/blog//hi/",
    "/index.html%00.txt",
    "/./index.html",
    "/out-file",
    "/out-folder/secret.txt",
    "/out-folder/",
    "etc/passwd",
    "*",
    "/%ff%fe",
    "/missing.html",
    "/empty/",
    "/index.html/",
]


@pytest.mark.parametrize("target", ESCAPES, ids=ESCAPES)
def test_no_way_out(root: Path, target: str) -> None:
    assert resolve(root, "/", target) == NotFound()


def test_base_path(root: Path) -> None:
    assert resolve(root, "/docs/", "/docs/blog/hi/") == Found(root / "blog/hi/index.html")
    assert resolve(root, "/docs/", "/docs") == Redirect("/docs/")
    assert resolve(root, "/docs/", "/docs/") == Found(root / "index.html")
    assert resolve(root, "/docs/", "/") == NotFound()
    assert resolve(root, "/docs/", "/blog/hi/") == NotFound()
    assert resolve(root, "/docs/", "/docs/../secret.txt") == NotFound()
    assert resolve(root, "/docs/", "/docsblog/hi/") == NotFound()
