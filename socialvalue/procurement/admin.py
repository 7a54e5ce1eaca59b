"""Admin for policies, tenders, panels, bids and scores.

The admin is for looking records up and for correcting a policy; tenders change only through
the tender pages and their services, so they are read-only here. Bids, their commitments and
delivery plans, and quality scores cannot be changed in the admin at all, and they stay
sealed here too:

- a bid is listed only once its tender's deadline has passed and only if it was submitted,
  and its page and history are refused (403) before the deadline;
- an evaluator's individual scores are listed only once they have submitted them, and not to
  a panel member who has not submitted their own (so the admin cannot break independence).

Only platform administrators use the admin (``core/admin_site.py``) and they see every
organisation's records; anyone else would see only their own organisation's.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from socialvalue.core.admin_site import (
    PlatformAdminInlineMixin,
    PlatformAdminModelAdmin,
    ReadOnlyMixin,
    is_platform_admin,
)
from socialvalue.procurement.models import (
    Bid,
    Commitment,
    PanelMember,
    Policy,
    QualityLevel,
    QualityScore,
    Tender,
)
from socialvalue.procurement.selectors import SEALED_STATUSES
from socialvalue.procurement.services import policy_update

SEALED_IN_ADMIN = "This offer is sealed until the tender's deadline."


class ScopedAdmin(SimpleHistoryAdmin, PlatformAdminModelAdmin):
    """Records with their history: all of them for platform administrators, and for anyone
    else only their own organisation's.

    Reverting to an old version from the history pages is switched off: changes go through
    the services, which check the rules.
    """

    organisation_path = "organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_platform_admin(request.user):
            return queryset
        return queryset.filter(**{self.organisation_path: request.user.organisation_id})  # type: ignore[union-attr]

    def _check_visible(self, request: HttpRequest, object_id: str) -> None:
        try:
            visible = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404("No such record.")

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._check_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method == "POST":
            raise PermissionDenied
        self._check_visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


# --- Policy -----------------------------------------------------------------------------------


class QualityLevelInline(PlatformAdminInlineMixin, admin.TabularInline):
    """The six levels of the quality profile: relabelled, never added or removed."""

    model = QualityLevel
    fields = ("score", "label", "descriptor")
    readonly_fields = ("score",)
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Policy)
class PolicyAdmin(ScopedAdmin):
    list_display = (
        "organisation",
        "threshold",
        "minimum_weighting",
        "default_quantitative_share",
        "default_deliverability_threshold",
        "updated_at",
    )
    list_select_related = ("organisation",)
    search_fields = ("organisation__name",)
    fields = (
        "organisation",
        "threshold",
        "minimum_weighting",
        "default_quantitative_share",
        "default_deliverability_threshold",
    )
    readonly_fields = ("organisation",)
    inlines = [QualityLevelInline]

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return False  # each buying organisation's policy is made on first use

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Policy, form: Any, change: bool) -> None:
        policy_update(policy=obj)


# --- Tenders and panels -----------------------------------------------------------------------


class PanelMemberInline(ReadOnlyMixin, admin.TabularInline):
    model = PanelMember
    fields = ("user", "is_moderator", "scores_submitted_at")
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return True  # shown inside the tender page, which checks access itself


@admin.register(Tender)
class TenderAdmin(ReadOnlyMixin, ScopedAdmin):
    list_display = (
        "reference",
        "title",
        "organisation",
        "status",
        "estimated_value",
        "sv_weighting",
        "deadline",
    )
    list_filter = ("status", "category", "quant_basis", "organisation")
    list_select_related = ("organisation",)
    search_fields = ("reference", "title", "description")
    date_hierarchy = "deadline"
    inlines = [PanelMemberInline]


@admin.register(PanelMember)
class PanelMemberAdmin(ReadOnlyMixin, ScopedAdmin):
    organisation_path = "tender__organisation"
    list_display = ("tender", "user", "is_moderator", "scores_submitted_at")
    list_filter = ("is_moderator",)
    list_select_related = ("tender", "user")
    search_fields = ("tender__reference", "tender__title", "user__full_name", "user__email")


# --- Bids and scores: read-only and sealed ----------------------------------------------------


class CommitmentInline(ReadOnlyMixin, admin.StackedInline):
    model = Commitment
    fields = (
        "measure",
        "quantity",
        "target_district",
        "activity",
        "who_delivers",
        "timing",
        "partners",
        "evidence",
    )
    readonly_fields = fields
    extra = 0

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return True  # shown inside the bid page, which is refused while the bid is sealed

    def _response(self, obj: Commitment, name: str) -> str:
        response = getattr(obj, "response", None)
        return str(getattr(response, name)) if response is not None else "No response"

    @admin.display(description="Activity")
    def activity(self, obj: Commitment) -> str:
        return self._response(obj, "activity")

    @admin.display(description="Who delivers")
    def who_delivers(self, obj: Commitment) -> str:
        return self._response(obj, "who_delivers")

    @admin.display(description="When")
    def timing(self, obj: Commitment) -> str:
        return self._response(obj, "timing")

    @admin.display(description="Partners")
    def partners(self, obj: Commitment) -> str:
        return self._response(obj, "partners")

    @admin.display(description="Evidence to be provided")
    def evidence(self, obj: Commitment) -> str:
        return self._response(obj, "evidence")


@admin.register(Bid)
class BidAdmin(ReadOnlyMixin, ScopedAdmin):
    organisation_path = "tender__organisation"
    list_display = ("tender", "supplier", "price", "status", "submitted_at", "receipt_reference")
    list_filter = ("status",)
    list_select_related = ("tender", "supplier")
    search_fields = ("tender__reference", "supplier__name", "receipt_reference")
    inlines = [CommitmentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return (
            super()
            .get_queryset(request)
            .filter(tender__deadline__lte=timezone.now(), status__in=SEALED_STATUSES)
        )

    def _refuse_if_sealed(self, object_id: str) -> None:
        try:
            bid = Bid.objects.select_related("tender").filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            bid = None
        if bid is not None and timezone.now() < bid.tender.deadline:
            raise PermissionDenied(SEALED_IN_ADMIN)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        self._refuse_if_sealed(object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._refuse_if_sealed(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._refuse_if_sealed(object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(QualityScore)
class QualityScoreAdmin(ReadOnlyMixin, ScopedAdmin):
    organisation_path = "response__commitment__bid__tender__organisation"
    list_display = ("response", "tender", "kind", "evaluator", "score", "recorded_at")
    list_filter = ("kind", "score")
    list_select_related = ("evaluator", "response__commitment__measure")
    search_fields = (
        "response__commitment__bid__tender__reference",
        "evaluator__full_name",
        "justification",
    )

    @admin.display(description="Tender", ordering="response__commitment__bid__tender__reference")
    def tender(self, obj: QualityScore) -> str:
        return str(obj.response.commitment.bid.tender.reference)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        tender = OuterRef("response__commitment__bid__tender")
        author_submitted = PanelMember.objects.filter(
            tender=tender, user=OuterRef("evaluator"), scores_submitted_at__isnull=False
        )
        viewer_still_scoring = PanelMember.objects.filter(
            tender=tender, user_id=request.user.pk or 0, scores_submitted_at__isnull=True
        )
        return (
            super()
            .get_queryset(request)
            .filter(response__commitment__bid__tender__deadline__lte=timezone.now())
            .filter(
                Q(kind=QualityScore.Kind.CONSENSUS)
                | Q(evaluator_id=request.user.pk or 0)
                | (Exists(author_submitted) & ~Exists(viewer_still_scoring))
            )
        )
