"""Serving: the preview server and the static file server."""
