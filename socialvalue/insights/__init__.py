"""Insight: KPIs, the delivered rollup, targets, training, the Cabinet report, the annual statement
and place partnerships.

Layer 7 of 8: may import core, accounts, framework, needs, partners, procurement, contracts, stories
and engagement. See ``[tool.importlinter]`` in pyproject.toml.
"""
