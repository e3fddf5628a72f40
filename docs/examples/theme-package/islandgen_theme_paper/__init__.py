"""The paper theme for islandgen: this package's folder is the theme (theme.yaml is beside this file).

Nothing here runs at build time except this import, which islandgen does to find the folder.
"""
