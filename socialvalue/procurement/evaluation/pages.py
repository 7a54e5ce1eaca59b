"""What every evaluation page shares: the tender it is about, the links between the pages,
the sealed notice before the deadline, and the blocks of responses with their forms.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.procurement.evaluation.forms import ScoreForm
from socialvalue.procurement.evaluation.selectors import can_award
from socialvalue.procurement.models import (
    Bid,
    QualitativeResponse,
    QualityLevel,
    QualityScore,
    Tender,
)
from socialvalue.procurement.selectors import (
    can_moderate,
    get_tender_for_user,
    is_sealed,
    panel_membership,
)


def page_url(name: str, *args: Any) -> str | None:
    """The URL of a page another part of the app may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def page_links(request: AuthenticatedRequest, tender: Tender) -> list[dict[str, Any]]:
    """The evaluation pages this user may open, for the navigation above each page."""
    user = request.user
    links: list[tuple[str, str, bool]] = [
        ("Scoring", "procurement:evaluation", panel_membership(user, tender) is not None),
        ("Moderation", "procurement:moderation", can_moderate(user, tender)),
        ("Results", "procurement:results", True),
        ("Compare offers", "procurement:compare", True),
        ("Evaluation report", "procurement:report", True),
        ("Award", "procurement:award", can_award(user, tender)),
    ]
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [
        {
            "label": label,
            "href": reverse(name, args=[tender.pk]),
            "current": name == current,
        }
        for label, name, allowed in links
        if allowed
    ]


def page_context(request: AuthenticatedRequest, tender: Tender, **extra: Any) -> dict[str, Any]:
    return {
        "tender": tender,
        "tender_list_url": page_url("procurement:tender_list"),
        "tender_url": page_url("procurement:tender_detail", tender.pk),
        "page_links": page_links(request, tender),
        "sealed": is_sealed(tender),
        **extra,
    }


def sealed_page(request: AuthenticatedRequest, tender: Tender, title: str) -> HttpResponse:
    return render(
        request,
        "procurement/evaluation/sealed.html",
        page_context(request, tender, page_title=title),
    )


def staff_tender(request: AuthenticatedRequest, pk: int) -> Tender:
    return get_tender_for_user(request.user, pk)


def bid_page(request: AuthenticatedRequest, bids: list[Bid]) -> Page:
    """One offer per page: panels score offer by offer."""
    return Paginator(bids, 1).get_page(request.GET.get("page"))


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def response_blocks(
    responses: Iterable[QualitativeResponse],
    forms_by_response: dict[int, ScoreForm],
    scores: dict[int, list[QualityScore]],
    consensus: dict[int, QualityScore],
    own: dict[int, QualityScore],
) -> list[dict[str, Any]]:
    return [
        {
            "response": response,
            "commitment": response.commitment,
            "form": forms_by_response.get(response.pk),
            "scores": scores.get(response.pk, []),
            "consensus": consensus.get(response.pk),
            "own": own.get(response.pk),
        }
        for response in responses
    ]


def redirect_to(name: str, tender: Tender, page: int, anchor: str = "") -> HttpResponse:
    url = f"{reverse(name, args=[tender.pk])}?page={page}"
    return redirect(f"{url}#{anchor}" if anchor else url)


def next_anchor(responses: list[QualitativeResponse], current: QualitativeResponse) -> str:
    ids = [response.pk for response in responses]
    position = ids.index(current.pk)
    following = ids[position + 1] if position + 1 < len(ids) else current.pk
    return f"response-{following}"


ERR_RESPONSE_MISSING = "That response is not part of this offer. Reload the page and try again."


@dataclass
class ScoreRound:
    """The score forms of the responses on one page of scoring or moderation, and what a POST
    of one of them came to: ``done`` (where to go next) or the ``failed`` form to show."""

    forms: dict[int, ScoreForm] = field(default_factory=dict)
    failed: ScoreForm | None = None
    done: HttpResponse | None = None


def score_round(
    request: AuthenticatedRequest,
    tender: Tender,
    page: Page,
    responses: list[QualitativeResponse],
    levels: list[QualityLevel],
    *,
    form_class: type[ScoreForm],
    prefix: str,
    saved: Mapping[int, QualityScore],
    can_change: bool,
    closed_message: str,
    url_name: str,
    save: Callable[[QualitativeResponse, dict[str, Any]], None],
    saved_message: str,
) -> ScoreRound:
    """One form per response, filled with its ``saved`` score, while scores may change. On a
    POST, check and ``save`` the one response posted and go on to the next; a refusal or an
    invalid form comes back as the failed form. Shared by the panel's scoring and moderation."""
    result = ScoreRound()
    if can_change:
        for response in responses:
            existing = saved.get(response.pk)
            result.forms[response.pk] = form_class(
                prefix=f"{prefix}{response.pk}",
                levels=levels,
                initial={"score": existing.score, "justification": existing.justification}
                if existing
                else None,
            )
    if request.method != "POST":
        return result
    if not can_change:
        messages.error(request, closed_message)
        result.done = redirect_to(url_name, tender, page.number)
        return result
    posted = next((r for r in responses if str(r.pk) == request.POST.get("response", "")), None)
    if posted is None:
        messages.error(request, ERR_RESPONSE_MISSING)
        result.done = redirect_to(url_name, tender, page.number)
        return result
    form = form_class(request.POST, prefix=f"{prefix}{posted.pk}", levels=levels)
    result.forms[posted.pk] = form
    if form.is_valid():
        try:
            save(posted, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                saved_message.format(
                    code=posted.commitment.measure.code,
                    supplier=posted.commitment.bid.supplier.name,
                ),
            )
            result.done = redirect_to(url_name, tender, page.number, next_anchor(responses, posted))
            return result
    result.failed = form
    return result
