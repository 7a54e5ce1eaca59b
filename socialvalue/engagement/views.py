"""Events and the message board: public pages, an attendee's own place, and the lead's editors."""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.security import personal_data_export_record
from socialvalue.core.access import ANYONE, SERVICE_OWNER_LEADS, Reach, access
from socialvalue.core.ratelimit import client_key, rate_limit_count, rate_limit_refusal
from socialvalue.core.spreadsheets import csv_response
from socialvalue.engagement.display import when_text
from socialvalue.engagement.forms import EventFilterForm, EventForm, PostForm, RegistrationForm
from socialvalue.engagement.models import Event, Post
from socialvalue.engagement.selectors import (
    event_availability,
    event_calendar,
    event_get_for_lead,
    event_listings,
    event_public_get,
    events_for_lead,
    events_past,
    events_upcoming,
    history_entries,
    post_get_for_lead,
    post_public_get,
    posts_for_lead,
    posts_published,
    registration_get_by_token,
    registrations_for_event,
    waiting_place,
)
from socialvalue.engagement.services import (
    event_cancel,
    event_create,
    event_publish,
    event_unpublish,
    event_update,
    post_create,
    post_publish,
    post_unpublish,
    post_update,
    registration_cancel,
    registration_create,
)

if TYPE_CHECKING:
    from socialvalue.engagement.selectors import CountedEvent

PAST_PER_PAGE = 10
POSTS_PER_PAGE = 10
MANAGE_PER_PAGE = 20
HISTORY_SHOWN = 20
JUST_REGISTERED = "engagement_just_registered"
PREVIEW = "preview"

MSG_CANCELLED_PLACE = "Your place at {title} has been cancelled."
MSG_EVENT_CREATED = "The event is saved as a draft. Publish it when it is ready."
MSG_EVENT_SAVED = "Your changes to the event are saved."
MSG_EVENT_PUBLISHED = "The event is published on the events page."
MSG_EVENT_UNPUBLISHED = "The event is back in draft and no longer on the events page."
MSG_EVENT_CANCELLED = "The event is cancelled. Everyone registered or waiting has been emailed."
MSG_POST_CREATED = "The post is saved as a draft. Publish it when it is ready."
MSG_POST_SAVED = "Your changes to the post are saved."
MSG_POST_PUBLISHED = "The post is published on the message board."
MSG_POST_UNPUBLISHED = "The post is back in draft and no longer on the message board."

CSV_COLUMNS = [
    "Name",
    "Email",
    "Organisation",
    "Accessibility or dietary needs",
    "Status",
    "Waiting list position",
    "Registered at",
    "Cancelled at",
]


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add_errors(form: Form, error: ValidationError, mapping: dict[str, str] | None = None) -> None:
    """Put a service's errors on the form fields they are about (or the form as a whole)."""
    mapping = mapping or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, _error_text(error))
        return
    for name, errors in error.message_dict.items():
        target = mapping.get(name, name)
        form.add_error(target if target in form.fields else None, errors)


# --- Public ----------------------------------------------------------------------------------


@access(ANYONE)
@require_GET
def events(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    kind = form.kind_value()
    now = timezone.now()
    past_page = Paginator(events_past(kind=kind, now=now), PAST_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "kind": kind,
        "kind_label": dict(Event.Kind.choices).get(kind, ""),
        "upcoming": event_listings(events_upcoming(kind=kind, now=now), now=now),
        "past_page": past_page,
        "past": event_listings(past_page.object_list, now=now),
        "latest_posts": list(posts_published(now=now)[:3]),
    }
    return render(request, "engagement/events.html", context)


@access(ANYONE, Reach.PUBLIC)
@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_public_get(slug)
    availability = event_availability(event, confirmed=event.confirmed_count)
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    # Places taken count against the client's address (RATE_LIMITS["event_registration"]):
    # each one emails someone, so a script must not be able to take them by the hundred.
    limit = ("event_registration", client_key(request))
    if request.method == "POST":
        refusal = rate_limit_refusal(request, limit)
        if refusal is not None:
            return refusal
    if request.method == "POST" and form.is_valid():
        try:
            registration = registration_create(
                event=event,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                organisation=form.cleaned_data["organisation"],
                needs=form.cleaned_data["needs"],
            )
        except ValidationError as error:
            _add_errors(form, error)
            # What stopped the registration may also have changed what the page shows.
            event = event_public_get(slug)
            availability = event_availability(event, confirmed=event.confirmed_count)
        else:
            rate_limit_count(limit)
            request.session[JUST_REGISTERED] = registration.token
            return redirect("engagement:registration", token=registration.token)
    context = {
        "event": event,
        "availability": availability,
        "when": when_text(event.starts_at, event.ends_at),
        "form": form,
        "has_ended": event.ends_at <= timezone.now(),
    }
    return render(request, "engagement/event_detail.html", context)


@access(ANYONE, Reach.PUBLIC)
@require_GET
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = event_public_get(slug)
    response = HttpResponse(
        event_calendar(event, dtstamp=timezone.now()), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@access(ANYONE, Reach.SECRET_LINK)
@never_cache
@require_GET
def registration(request: HttpRequest, token: str) -> HttpResponse:
    place = registration_get_by_token(token)
    event = place.event
    just_registered = request.session.get(JUST_REGISTERED) == token
    if just_registered:
        del request.session[JUST_REGISTERED]
    now = timezone.now()
    context = {
        "place": place,
        "event": event,
        "when": when_text(event.starts_at, event.ends_at),
        "waiting_place": waiting_place(place),
        "just_registered": just_registered,
        "can_cancel": not place.is_cancelled and event.starts_at > now,
        "show_joining": place.is_confirmed and event.is_published and event.ends_at > now,
    }
    response = render(request, "engagement/registration.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response


@access(ANYONE, Reach.SECRET_LINK)
@never_cache
@require_http_methods(["GET", "POST"])
def registration_cancel_view(request: HttpRequest, token: str) -> HttpResponse:
    place = registration_get_by_token(token)
    if request.method == "POST":
        try:
            registration_cancel(registration=place)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, MSG_CANCELLED_PLACE.format(title=place.event.title))
        return redirect("engagement:registration", token=token)
    if place.is_cancelled:
        return redirect("engagement:registration", token=token)
    context = {
        "place": place,
        "event": place.event,
        "when": when_text(place.event.starts_at, place.event.ends_at),
    }
    return render(request, "engagement/registration_cancel.html", context)


@access(ANYONE)
@require_GET
def news(request: HttpRequest) -> HttpResponse:
    page = Paginator(posts_published(), POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "engagement/news.html", {"page": page})


@access(ANYONE, Reach.PUBLIC)
@require_GET
def post_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "engagement/post_detail.html", {"post": post_public_get(slug)})


# --- The social value lead: events -----------------------------------------------------------


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def manage(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(events_for_lead(request.user), MANAGE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "listings": event_listings(page.object_list)}
    return render(request, "engagement/manage/events.html", context)


def _event_form_page(
    request: HttpRequest, form: EventForm, event: "CountedEvent | None", *, preview: bool
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "event": event, "preview": preview}
    if preview:
        context["preview_description"] = request.POST.get("description", "")
        if form.is_valid():
            shown = form.preview_event()
            context["preview_when"] = when_text(shown.starts_at, shown.ends_at)
            context["preview_event"] = shown
    if event is not None:
        context["history"] = history_entries(event)[:HISTORY_SHOWN]
        context["availability"] = event_availability(event, confirmed=event.confirmed_count)
        context["when"] = when_text(event.starts_at, event.ends_at)
    return render(request, "engagement/manage/event_form.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def event_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        initial = {"organiser": user.organisation_id} if user.organisation_id else {}
        return _event_form_page(request, EventForm(initial=initial), None, preview=False)
    form = EventForm(request.POST)
    if request.POST.get("action") == PREVIEW:
        return _event_form_page(request, form, None, preview=True)
    if form.is_valid():
        try:
            event = event_create(by=user, data=form.event_data())
        except ValidationError as error:
            _add_errors(form, error, EventForm.MODEL_FIELD_TO_FORM)
        else:
            messages.success(request, MSG_EVENT_CREATED)
            return redirect("engagement:event_edit", pk=event.pk)
    return _event_form_page(request, form, None, preview=False)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def event_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    event = event_get_for_lead(user, pk)
    if request.method != "POST":
        form = EventForm(initial=EventForm.initial_for(event))
        return _event_form_page(request, form, event, preview=False)
    form = EventForm(request.POST)
    if request.POST.get("action") == PREVIEW:
        return _event_form_page(request, form, event, preview=True)
    if form.is_valid():
        try:
            event_update(event=event, by=user, data=form.event_data())
        except ValidationError as error:
            _add_errors(form, error, EventForm.MODEL_FIELD_TO_FORM)
        else:
            messages.success(request, MSG_EVENT_SAVED)
            return redirect("engagement:event_edit", pk=event.pk)
    return _event_form_page(request, form, event, preview=False)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_POST
def event_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    event = event_get_for_lead(user, pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            event_publish(event=event, by=user)
            messages.success(request, MSG_EVENT_PUBLISHED)
        elif action == "unpublish":
            event_unpublish(event=event, by=user)
            messages.success(request, MSG_EVENT_UNPUBLISHED)
        else:
            messages.error(request, "Choose whether to publish the event or take it back to draft.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("engagement:event_edit", pk=event.pk)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def event_cancel_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    event = event_get_for_lead(user, pk)
    if request.method == "POST":
        try:
            event_cancel(event=event, by=user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, MSG_EVENT_CANCELLED)
        return redirect("engagement:event_edit", pk=event.pk)
    context = {"event": event, "when": when_text(event.starts_at, event.ends_at)}
    return render(request, "engagement/manage/event_cancel.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def event_registrations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = event_get_for_lead(request.user, pk)
    places = list(registrations_for_event(event))
    context = {
        "event": event,
        "when": when_text(event.starts_at, event.ends_at),
        "confirmed": [p for p in places if p.is_confirmed],
        "waiting": [p for p in places if p.is_waiting],
        "cancelled": [p for p in places if p.is_cancelled],
    }
    return render(request, "engagement/manage/registrations.html", context)


def _csv_time(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def event_registrations_csv(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = event_get_for_lead(request.user, pk)
    records: list[list[object]] = []
    places = list(registrations_for_event(event))
    for place in places:
        records.append(
            [
                place.name,
                place.email,
                place.organisation_name,
                place.needs,
                place.get_status_display(),
                place.position or "",
                _csv_time(place.created_at),
                _csv_time(place.cancelled_at),
            ]
        )
    response = csv_response([CSV_COLUMNS, *records], filename=f"registrations-{event.slug}.csv")
    personal_data_export_record(
        request, export="event registrations", rows=len(places), event=event.slug
    )
    return response


# --- The social value lead: the message board ------------------------------------------------


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_GET
def manage_posts(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(posts_for_lead(request.user), MANAGE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "engagement/manage/posts.html", {"page": page})


def _post_form_page(
    request: HttpRequest, form: PostForm, post: Post | None, *, preview: bool
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "post": post, "preview": preview}
    if preview:
        context["preview_body"] = request.POST.get("body", "")
        context["preview_title"] = request.POST.get("title", "")
    if post is not None:
        context["history"] = history_entries(post)[:HISTORY_SHOWN]
    return render(request, "engagement/manage/post_form.html", context)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def post_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return _post_form_page(request, PostForm(), None, preview=False)
    form = PostForm(request.POST)
    if request.POST.get("action") == PREVIEW:
        return _post_form_page(request, form, None, preview=True)
    if form.is_valid():
        try:
            post = post_create(by=user, data=form.post_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, MSG_POST_CREATED)
            return redirect("engagement:post_edit", pk=post.pk)
    return _post_form_page(request, form, None, preview=False)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@never_cache
@require_http_methods(["GET", "POST"])
def post_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    post = post_get_for_lead(user, pk)
    if request.method != "POST":
        return _post_form_page(
            request, PostForm(initial=PostForm.initial_for(post)), post, preview=False
        )
    form = PostForm(request.POST)
    if request.POST.get("action") == PREVIEW:
        return _post_form_page(request, form, post, preview=True)
    if form.is_valid():
        try:
            post_update(post=post, by=user, data=form.post_data())
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, MSG_POST_SAVED)
            return redirect("engagement:post_edit", pk=post.pk)
    return _post_form_page(request, form, post, preview=False)


@access(SERVICE_OWNER_LEADS, Reach.PLATFORM)
@require_POST
def post_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    post = post_get_for_lead(user, pk)
    action = request.POST.get("action")
    try:
        if action == "publish":
            post_publish(post=post, by=user)
            messages.success(request, MSG_POST_PUBLISHED)
        elif action == "unpublish":
            post_unpublish(post=post, by=user)
            messages.success(request, MSG_POST_UNPUBLISHED)
        else:
            messages.error(request, "Choose whether to publish the post or take it back to draft.")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("engagement:post_edit", pk=post.pk)
