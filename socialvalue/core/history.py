"""Who made a change, for the history kept by ``simple_history``.

``simple_history`` takes the user from the current request. Services also run outside
requests (the CLI, the demo data, tasks), so they say who acts with ``set_history_user``
before saving. Layer: core; imports no other app.
"""

from django.db import models


def set_history_user(instance: object, user: models.Model | None) -> None:
    """Record ``user`` (a user, or None) as the author of ``instance``'s next history entry."""
    # simple_history reads this attribute when the instance is next saved.
    setattr(instance, "_history_user", user)  # noqa: B010
