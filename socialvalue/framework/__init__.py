"""The TOMs framework: versions, themes, outcomes and measures, its browser and the calculator.

Layer 3 of 8: may import core and accounts. See ``[tool.importlinter]`` in pyproject.toml.
"""
