"""Social Value Platform: TOMs framework, procurement, contract management and insight."""

__version__ = "0.1.0"
