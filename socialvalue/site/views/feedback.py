"""The public lessons-learned feedback form, guarded against spam (see ``site/spam.py``)."""

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from socialvalue.core.access import ANYONE, access
from socialvalue.core.ratelimit import client_key, rate_limit_count, rate_limit_refusal
from socialvalue.site import spam
from socialvalue.site.forms import FeedbackForm
from socialvalue.site.services import feedback_submit

logger = logging.getLogger(__name__)

# The same words whichever check refused the submission: a script learns nothing from them.
MSG_NOT_SENT = (
    "Your feedback has not been sent. Wait a minute, check your answers and send them again."
)
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "started"
# Form fields a refused submission keeps, so that nobody has to type their answers again.
KEPT_FIELDS = (
    "role",
    "went_well",
    "could_be_better",
    "suggestion",
    "name",
    "email",
    "organisation",
)


def _render(request: HttpRequest, form: FeedbackForm, *, refused: bool = False) -> HttpResponse:
    context = {
        "form": form,
        "token": spam.form_token(),
        "refused": refused,
        "not_sent": MSG_NOT_SENT,
    }
    return render(request, "site/feedback.html", context)


def _refuse(request: HttpRequest, reason: str) -> HttpResponse:
    logger.info("Feedback refused (%s) from a sender", reason)
    kept = {name: request.POST.get(name, "") for name in KEPT_FIELDS}
    return _render(request, FeedbackForm(initial=kept), refused=True)


@access(ANYONE)
@never_cache
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, FeedbackForm())
    # Only accepted feedback counts (below): someone correcting a mistake is not held back.
    limit = ("feedback", client_key(request))
    refusal = rate_limit_refusal(request, limit)
    if refusal is not None:
        return refusal
    if request.POST.get(HONEYPOT_FIELD, ""):
        return _refuse(request, spam.HONEYPOT)
    problem = spam.token_problem(request.POST.get(TOKEN_FIELD, ""))
    if problem is not None:
        return _refuse(request, problem)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _render(request, form)
    try:
        feedback_submit(**form.answers())
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, form)
    rate_limit_count(limit)
    return redirect("site:feedback_thanks")


@access(ANYONE)
@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "site/feedback_thanks.html")
