"""Content stage: site files -> documents, Markdown -> HTML, data files -> site.data."""
