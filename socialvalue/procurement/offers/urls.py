"""The supplier's offer pages' URLs (names in the ``procurement`` namespace)."""

from django.urls import path

from socialvalue.procurement.offers.commitment_views import (
    commitment_delete,
    commitment_edit,
    commitment_new,
    offer_template_download,
    offer_upload,
)
from socialvalue.procurement.offers.views import (
    offer_edit,
    offer_list,
    offer_receipt,
    offer_reopen,
    offer_start,
    offer_submit,
    offer_withdraw,
    opportunity_detail,
    opportunity_list,
)

urlpatterns = [
    path("opportunities/", opportunity_list, name="opportunity_list"),
    path("opportunities/<int:pk>/", opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/start/", offer_start, name="offer_start"),
    path("offers/", offer_list, name="offer_list"),
    path("offers/<int:pk>/", offer_edit, name="offer_edit"),
    path("offers/<int:pk>/commitments/new/", commitment_new, name="commitment_new"),
    path("offers/<int:pk>/commitments/<int:cpk>/", commitment_edit, name="commitment_edit"),
    path(
        "offers/<int:pk>/commitments/<int:cpk>/remove/",
        commitment_delete,
        name="commitment_remove",
    ),
    path(
        "offers/<int:pk>/offer-template.xlsx",
        offer_template_download,
        name="offer_template_download",
    ),
    path("offers/<int:pk>/upload/", offer_upload, name="offer_upload"),
    path("offers/<int:pk>/submit/", offer_submit, name="offer_submit"),
    path("offers/<int:pk>/receipt/", offer_receipt, name="offer_receipt"),
    path("offers/<int:pk>/withdraw/", offer_withdraw, name="offer_withdraw"),
    path("offers/<int:pk>/reopen/", offer_reopen, name="offer_reopen"),
]
