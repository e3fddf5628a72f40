"""Render stage: routes -> HTML through Jinja layouts, page templates and server components."""
