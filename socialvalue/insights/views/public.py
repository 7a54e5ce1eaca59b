"""The public headline figures of a place partnership (``/in-numbers/``), open to everyone.

``/in-numbers/`` shows the only public place, a choice when there are several, or explains
that no place partnership is set up; ``/in-numbers/<slug>/`` shows one place. A place that
is not public is not found (404).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from socialvalue.core.access import ANYONE, Reach, access
from socialvalue.insights.models import Place
from socialvalue.insights.public_figures import place_figures, public_places


def _place_page(request: HttpRequest, place: Place, *, several: bool) -> HttpResponse:
    figures = place_figures(place)
    return render(
        request,
        "insights/public/place.html",
        {
            "figures": figures,
            "place": place,
            "several": several,
        },
    )


@access(ANYONE)
@require_safe
def in_numbers(request: HttpRequest) -> HttpResponse:
    places = list(public_places())
    if len(places) == 1:
        return _place_page(request, places[0], several=False)
    if not places:
        return render(request, "insights/public/none.html")
    return render(request, "insights/public/choose.html", {"places": places})


@access(ANYONE, Reach.PUBLIC)
@require_safe
def in_numbers_place(request: HttpRequest, slug: str) -> HttpResponse:
    place = get_object_or_404(public_places(), slug=slug)
    return _place_page(request, place, several=public_places().count() > 1)
