"""Output stage: rendered routes and static files -> the output folder, swapped in whole."""
