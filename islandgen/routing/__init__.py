"""Routing stage: documents and page templates -> URLs, sections, tags and pagination."""
