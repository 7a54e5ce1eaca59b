"""Partner organisations, mapped to measures and districts, with changes approved by the lead.

Layer 4 of 8, beside needs and procurement (which it may not import): may import core, accounts and
framework. See ``[tool.importlinter]`` in pyproject.toml.
"""
