"""Setting the platform up: the ``bootstrap`` command and the demonstration data.

The top of the layers, with ``socialvalue.api``, ``urls``, ``checks`` and ``cli``: it may
import every app, and nothing imports it (only tests). It also registers the system checks
(``socialvalue.checks``) once every app is loaded.
"""
