"""Organisations, users and roles, invitations, sign-in, API tokens and the security log.

Layer 2 of 8: may import core. See ``[tool.importlinter]`` in pyproject.toml.
"""
