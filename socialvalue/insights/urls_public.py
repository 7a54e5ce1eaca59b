from django.urls import URLPattern, path

from socialvalue.insights.views import public

# The public headline figures of each place partnership.
urlpatterns: list[URLPattern] = [
    path("in-numbers/", public.in_numbers, name="in_numbers"),
    path("in-numbers/<slug:slug>/", public.in_numbers_place, name="in_numbers_place"),
]
