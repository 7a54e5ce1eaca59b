"""Recording who made a change in a model's history (django-simple-history).

simple_history takes the user from the request; services also run outside requests (commands,
the demo data), so they name the user on the instance before saving it.
"""

from django.db import models


def set_history_user(instance: models.Model, user: models.Model | None) -> None:
    """Record ``user`` as the author of ``instance``'s next history row."""
    setattr(instance, "_history_user", user)  # noqa: B010 - the attribute is not declared
