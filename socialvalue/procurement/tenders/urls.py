"""The officers' tender pages' URLs (names in the ``procurement`` namespace)."""

from django.urls import URLPattern, path

from socialvalue.procurement.tenders.setup_views import tender_menu, tender_panel
from socialvalue.procurement.tenders.views import (
    tender_cancel,
    tender_close,
    tender_create,
    tender_detail,
    tender_edit,
    tender_list,
    tender_open,
)

urlpatterns: list[URLPattern] = [
    path("tenders/", tender_list, name="tender_list"),
    path("tenders/new/", tender_create, name="tender_create"),
    path("tenders/<int:pk>/", tender_detail, name="tender_detail"),
    path("tenders/<int:pk>/edit/", tender_edit, name="tender_edit"),
    path("tenders/<int:pk>/open/", tender_open, name="tender_open"),
    path("tenders/<int:pk>/close/", tender_close, name="tender_close"),
    path("tenders/<int:pk>/cancel/", tender_cancel, name="tender_cancel"),
    path("tenders/<int:pk>/menu/", tender_menu, name="tender_menu"),
    path("tenders/<int:pk>/panel/", tender_panel, name="tender_panel"),
]
