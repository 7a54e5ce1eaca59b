"""A realistic demonstration dataset, loaded by ``socialvalue bootstrap --demo``.

Organisations and users come first (``accounts.py``), then each area's part, in the order of
``DEMO_STEPS``: later parts find what earlier ones made by name, email and reference.
Idempotent: running it again finds what is already there.
"""

from collections.abc import Callable

from django.db import transaction
from django.test.utils import override_settings

from socialvalue.accounts.models import User
from socialvalue.bootstrap.demo.accounts import (
    DEMO_PASSWORD,
    DemoLogin,
    load_organisations_and_users,
)
from socialvalue.bootstrap.demo.contracts import contracts_demo
from socialvalue.bootstrap.demo.engagement import engagement_demo
from socialvalue.bootstrap.demo.insights import insights_demo
from socialvalue.bootstrap.demo.partners import partners_demo
from socialvalue.bootstrap.demo.procurement import procurement_demo
from socialvalue.bootstrap.demo.site import site_demo
from socialvalue.bootstrap.demo.stories import stories_demo

__all__ = ["DEMO_PASSWORD", "DEMO_STEPS", "DemoLogin", "demo_load"]

# The parts of the demo after organisations and users, in the order they run.
DEMO_STEPS: list[Callable[[], object]] = [
    partners_demo,
    engagement_demo,
    stories_demo,  # runs the procurement demo first, for the contract its stories are about
    procurement_demo,
    contracts_demo,
    insights_demo,
    site_demo,
]


def demo_load() -> list[DemoLogin]:
    # The demo's offers and returns send emails like real ones (some once the transaction
    # commits); nobody needs to read those, so they stay in memory.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return _demo_load()


@transaction.atomic
def _demo_load() -> list[DemoLogin]:
    logins = load_organisations_and_users()
    for step in DEMO_STEPS:
        step()
    # Demo steps may add their own users (a partner organisation's, say): list them too.
    known = {login.email for login in logins}
    for user in User.objects.exclude(email__in=known).select_related("organisation"):
        if user.check_password(DEMO_PASSWORD):
            organisation = user.organisation.name if user.organisation else ""
            logins.append(DemoLogin(user.email, user.get_role_display(), organisation))
    return logins
