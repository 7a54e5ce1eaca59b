"""Shared foundations: settings and money helpers, access rules, base templates, the admin site,
backup and restore.

Layer 1 of 8, the lowest: imports no other app. See ``[tool.importlinter]`` in pyproject.toml.
"""
