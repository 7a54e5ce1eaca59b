from django.urls import path

from socialvalue.contracts.views import contracts, supplier_returns, verification
from socialvalue.contracts.views.dispatch import return_detail, returns_index

app_name = "contracts"

urlpatterns = [
    # Contracts: officers manage, suppliers see their own.
    path("contracts/", contracts.contract_list, name="contract_list"),
    path("contracts/exceptions/", contracts.exceptions, name="exceptions"),
    path("contracts/new/", contracts.contract_new, name="contract_new"),
    path("contracts/reporting-settings/", contracts.reporting_settings, name="reporting_settings"),
    path("contracts/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("contracts/<int:pk>/edit/", contracts.contract_edit, name="contract_edit"),
    path("contracts/<int:pk>/close/", contracts.contract_close_view, name="contract_close"),
    path("contracts/<int:pk>/targets/", contracts.targets_edit, name="targets_edit"),
    path(
        "contracts/<int:pk>/targets/<int:target_pk>/profile/",
        contracts.target_profile,
        name="target_profile",
    ),
    # Returns: one page per return; suppliers fill it in, officers verify it.
    path("returns/", returns_index, name="return_list"),
    path("returns/<int:pk>/", return_detail, name="return_detail"),
    path("returns/<int:pk>/lines/add/", supplier_returns.line_add_view, name="line_add"),
    path(
        "returns/<int:pk>/lines/<int:line_pk>/edit/",
        supplier_returns.line_edit_view,
        name="line_edit",
    ),
    path(
        "returns/<int:pk>/lines/<int:line_pk>/delete/",
        supplier_returns.line_delete_view,
        name="line_delete",
    ),
    path(
        "returns/<int:pk>/lines/<int:line_pk>/evidence/",
        supplier_returns.evidence_upload_view,
        name="evidence_upload",
    ),
    path(
        "returns/<int:pk>/evidence/<int:evidence_pk>/delete/",
        supplier_returns.evidence_delete_view,
        name="evidence_delete",
    ),
    path(
        "returns/<int:pk>/lines/<int:line_pk>/answer/",
        supplier_returns.line_answer_view,
        name="line_answer",
    ),
    path("returns/<int:pk>/submit/", supplier_returns.return_submit_view, name="return_submit"),
    path(
        "returns/<int:pk>/template.xlsx",
        supplier_returns.return_template_view,
        name="return_template",
    ),
    path("returns/<int:pk>/upload/", supplier_returns.return_upload_view, name="return_upload"),
    path(
        "returns/<int:pk>/lines/<int:line_pk>/decide/",
        verification.line_decide_view,
        name="line_decide",
    ),
    path("evidence/<int:pk>/", verification.evidence_download, name="evidence_download"),
]
