"""Narrowing a tender's menu of measures, by theme or measure by measure."""

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from socialvalue.accounts.models import User
from socialvalue.framework.models import FrameworkVersion, Measure, Theme
from socialvalue.procurement.models import Tender
from socialvalue.procurement.services import tender_set_menu_by_themes
from socialvalue.procurement.tests.conftest import TenderMaker

ClientAs = Callable[[User | None], Client]


@pytest.fixture
def alice(client_as: ClientAs, officer_alice: User) -> Client:
    return client_as(officer_alice)


def _codes(tender: Tender) -> list[str]:
    return sorted(tender.menu.values_list("code", flat=True))


def _theme(version: FrameworkVersion, index: int) -> Theme:
    return list(Theme.objects.filter(version=version).order_by("order"))[index]


def test_it_ticks_every_measure_and_theme_by_default(
    alice: Client, make_tender: TenderMaker
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    response = alice.get(f"/tenders/{tender.pk}/menu/")
    html = response.content.decode()
    assert html.count('name="measures" type="checkbox"') == 43
    assert len(response.context["measures_form"]["measures"].value()) == 43
    assert len(response.context["themes_form"]["themes"].value()) == 4
    assert "The menu has 43 of 43 measures now." in html


def test_it_narrows_the_menu_to_a_theme(
    alice: Client, make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    theme = _theme(toms, 2)
    assert theme.name == "Community building: health & wellbeing"
    response = alice.post(f"/tenders/{tender.pk}/menu/", {"mode": "themes", "themes": [theme.pk]})
    assert response.status_code == 302
    assert response["Location"] == f"/tenders/{tender.pk}/"
    assert _codes(tender) == ["NT26", "NT27", "NT28", "NT29", "NT52"]
    page = alice.get(f"/tenders/{tender.pk}/menu/")
    assert page.context["themes_form"]["themes"].value() == [theme.pk]


def test_it_narrows_the_menu_to_chosen_measures(
    alice: Client, make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    chosen = Measure.objects.filter(version=toms, code__in=["NT1", "NT4", "NT41"])
    response = alice.post(
        f"/tenders/{tender.pk}/menu/",
        {"mode": "measures", "action": "save", "measures": [m.pk for m in chosen]},
        follow=True,
    )
    assert _codes(tender) == ["NT1", "NT4", "NT41"]
    assert "The menu now has 3 of 43 measures." in response.content.decode()
    assert "3 of 43 measures on the menu" in response.content.decode()


def test_it_refuses_an_empty_menu(alice: Client, make_tender: TenderMaker) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    response = alice.post(f"/tenders/{tender.pk}/menu/", {"mode": "measures", "action": "save"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#id_measures_0">Select at least one measure</a>' in html
    assert 'id="id_measures_0"' in html
    assert tender.menu.count() == 43
    response = alice.post(f"/tenders/{tender.pk}/menu/", {"mode": "themes"})
    assert '<a href="#id_themes_0">Select at least one theme</a>' in response.content.decode()
    assert tender.menu.count() == 43


def test_it_selects_all_and_clears_without_saving(
    alice: Client, make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    nt1 = Measure.objects.get(version=toms, code="NT1")
    tender = make_tender(status=Tender.Status.DRAFT, menu=[nt1])
    url = f"/tenders/{tender.pk}/menu/"
    cleared = alice.post(url, {"mode": "measures", "action": "clear", "measures": [nt1.pk]})
    assert "checked" not in cleared.content.decode().split("Choose measure by measure")[1]
    assert "No measures are selected." in cleared.content.decode()
    everything = alice.post(url, {"mode": "measures", "action": "select_all"})
    html = everything.content.decode()
    assert html.count('type="checkbox" value=') - html.count('name="themes"') == 43
    assert len(everything.context["measures_form"]["measures"].value()) == 43
    assert _codes(tender) == ["NT1"]  # nothing saved by either button


def test_it_refuses_to_change_the_menu_of_an_open_tender(
    alice: Client, make_tender: TenderMaker, toms: FrameworkVersion
) -> None:
    tender = make_tender(status=Tender.Status.OPEN)
    theme = _theme(toms, 1)
    response = alice.post(f"/tenders/{tender.pk}/menu/", {"mode": "themes", "themes": [theme.pk]})
    assert response.status_code == 302
    assert tender.menu.count() == 43


def test_it_sets_the_menu_by_themes(make_tender: TenderMaker, toms: FrameworkVersion) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    themes = [_theme(toms, 2), _theme(toms, 3)]
    tender_set_menu_by_themes(tender=tender, themes=themes)
    assert tender.menu.count() == 14  # 5 community measures and 9 environment ones
    assert set(tender.menu.values_list("theme_id", flat=True)) == {t.pk for t in themes}


def test_it_refuses_no_themes(make_tender: TenderMaker) -> None:
    tender = make_tender(status=Tender.Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        tender_set_menu_by_themes(tender=tender, themes=[])
    assert exc.value.message_dict == {"themes": ["Choose at least one theme for the menu."]}
    assert tender.menu.count() == 43
