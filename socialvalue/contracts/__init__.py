"""Contracts, their targets, quarterly returns, evidence, verification and performance.

Layer 5 of 8: may import core, accounts, framework, needs, partners and procurement. See
``[tool.importlinter]`` in pyproject.toml.
"""
