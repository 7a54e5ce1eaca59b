"""The public website: home and error pages, resources, FAQs, the policy page and feedback.

Layer 8 of 8, the highest app: may import every other app (not ``socialvalue.bootstrap``, ``api``,
``urls``, ``checks`` or ``cli``, which sit above it). See ``[tool.importlinter]`` in pyproject.toml.
"""
