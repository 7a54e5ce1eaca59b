"""Procurement: the social value policy, tenders, offers, evaluation, scoring and award.

Layer 4 of 8, beside needs and partners (which it may not import): may import core, accounts and
framework. See ``[tool.importlinter]`` in pyproject.toml.
"""
