"""Case studies of the social value delivered, written, reviewed and published.

Layer 6 of 8, beside engagement (which it may not import): may import core, accounts, framework,
needs, partners, procurement and contracts. See ``[tool.importlinter]`` in pyproject.toml.
"""
