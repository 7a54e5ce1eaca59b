"""The demonstration partners."""

import pytest

from socialvalue.accounts.models import Organisation, User
from socialvalue.bootstrap import demo
from socialvalue.bootstrap.demo.accounts import DEMO_PASSWORD, load_organisations_and_users
from socialvalue.bootstrap.demo.partners import partners_demo
from socialvalue.framework.models import FrameworkVersion
from socialvalue.partners.models import PartnerProfile, PartnerProfileRevision

pytestmark = pytest.mark.django_db


def test_it_is_registered_once_as_a_demo_step() -> None:
    assert demo.DEMO_STEPS.count(partners_demo) == 1


def test_it_publishes_six_partners_and_leaves_one_change_waiting(
    toms: FrameworkVersion,
) -> None:
    load_organisations_and_users()
    partners_demo()
    partners_demo()
    published = PartnerProfile.objects.filter(status="published")
    assert sorted(p.organisation.name for p in published) == [
        "Burnley Youth Employment Project",
        "Community Futures Lancashire",
        "Lancashire Skills and Employment Hub",
        "Pendle Carers Network",
        "Red Rose Business Growth Hub",
        "Ribble Rivers Nature Trust",
    ]
    assert Organisation.objects.filter(kind=Organisation.Kind.PARTNER).count() == 6
    hub = published.get(organisation__name="Lancashire Skills and Employment Hub")
    assert hub.measure_codes == ["NT1", "NT3", "NT4", "NT10", "NT11"]
    assert hub.serves_all_lancashire is True
    community = published.get(organisation__name="Community Futures Lancashire")
    assert community.measure_codes == ["NT17", "NT28", "NT29"]
    assert community.district_codes == ["E07000118", "E07000123"]
    waiting = PartnerProfileRevision.objects.get(status="submitted")
    assert waiting.profile == community
    assert "South Ribble" in waiting.summary
    priya = User.objects.get(email="partner@communityfutures.example")
    assert priya.role == User.Role.PARTNER
    assert priya.organisation == community.organisation
    assert priya.check_password(DEMO_PASSWORD)
