"""Events, registrations and the message board.

Layer 6 of 8, beside stories (which it may not import): may import core, accounts, framework, needs,
partners, procurement and contracts. See ``[tool.importlinter]`` in pyproject.toml.
"""
