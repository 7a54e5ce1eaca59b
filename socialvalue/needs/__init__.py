"""Local needs: Lancashire districts and LSOAs with their deprivation, and the map.

Layer 4 of 8, beside partners and procurement (which it may not import): may import core, accounts
and framework. See ``[tool.importlinter]`` in pyproject.toml.
"""
