"""The organisation page: its details, and a buying organisation's directorates and service
areas.

Every signed-in user of the organisation reads it. A buying organisation's lead, or any user
of a supplier or partner organisation, edits the details (the name and kind stay: they are
how everyone else knows the organisation); the buyer's lead adds, renames and removes
directorates and service areas, removing only what nothing uses.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from socialvalue.accounts.http import AuthenticatedRequest
from socialvalue.accounts.models import Directorate, Organisation, ServiceArea
from socialvalue.accounts.rules import may_edit_organisation, may_manage_structure
from socialvalue.accounts.selectors import (
    directorates_of,
    get_directorate_for_user,
    get_service_area_for_user,
    organisation_of,
)
from socialvalue.accounts.services import (
    directorate_create,
    directorate_remove,
    directorate_rename,
    organisation_update,
    service_area_create,
    service_area_remove,
    service_area_rename,
)
from socialvalue.accounts.team_forms import NameForm, OrganisationForm
from socialvalue.core.access import LEADS, MEMBERS, ROLE_MISSING, TEAM_MANAGERS, Reach, access

MSG_DETAILS_SAVED = "The organisation's details have been saved."
MSG_ADDED = "“{name}” has been added."
MSG_RENAMED = "Renamed to “{name}”."
MSG_REMOVED = "“{name}” has been removed."


def _add_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _structure_organisation(request: AuthenticatedRequest) -> Organisation:
    user = request.user
    organisation = organisation_of(user)
    if not may_manage_structure(user, organisation):
        raise PermissionDenied(ROLE_MISSING)
    return organisation


@access(MEMBERS, Reach.ORGANISATION)
@require_safe
def organisation(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    return render(
        request,
        "accounts/organisation/organisation.html",
        {
            "organisation": organisation,
            "directorates": directorates_of(organisation) if organisation.is_buyer else [],
            "can_edit": may_edit_organisation(user, organisation),
            "can_manage_structure": may_manage_structure(user, organisation),
        },
    )


@access(TEAM_MANAGERS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    organisation = organisation_of(user)
    if not may_edit_organisation(user, organisation):
        raise PermissionDenied(ROLE_MISSING)
    initial = {
        "size": organisation.size,
        "is_vcse": organisation.is_vcse,
        "postcode": organisation.postcode,
        "website": organisation.website,
        "companies_house_number": organisation.companies_house_number,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organisation_update(organisation=organisation, by=user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MSG_DETAILS_SAVED)
            return redirect("accounts:organisation")
    return render(
        request,
        "accounts/organisation/edit.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


def _name_page(
    request: HttpRequest,
    *,
    form: NameForm,
    heading: str,
    organisation: Organisation,
    parent: Directorate | None = None,
) -> HttpResponse:
    return render(
        request,
        "accounts/organisation/name.html",
        {"form": form, "heading": heading, "organisation": organisation, "parent": parent},
        status=400 if form.errors else 200,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def directorate_new(request: AuthenticatedRequest) -> HttpResponse:
    organisation = _structure_organisation(request)
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            directorate = directorate_create(
                organisation=organisation, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MSG_ADDED.format(name=directorate.name))
            return redirect("accounts:organisation")
    return _name_page(request, form=form, heading="Add a directorate", organisation=organisation)


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def directorate_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = _structure_organisation(request)
    directorate = get_directorate_for_user(request.user, pk)
    form = NameForm(request.POST or None, initial={"name": directorate.name})
    if request.method == "POST" and form.is_valid():
        try:
            directorate = directorate_rename(
                directorate=directorate, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MSG_RENAMED.format(name=directorate.name))
            return redirect("accounts:organisation")
    return _name_page(
        request,
        form=form,
        heading=f"Rename the directorate “{directorate.name}”",
        organisation=organisation,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def service_area_new(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = _structure_organisation(request)
    directorate = get_directorate_for_user(request.user, pk)
    form = NameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            area = service_area_create(
                directorate=directorate, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MSG_ADDED.format(name=area.name))
            return redirect("accounts:organisation")
    return _name_page(
        request,
        form=form,
        heading=f"Add a service area to {directorate.name}",
        organisation=organisation,
        parent=directorate,
    )


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def service_area_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = _structure_organisation(request)
    area = get_service_area_for_user(request.user, pk)
    form = NameForm(request.POST or None, initial={"name": area.name})
    if request.method == "POST" and form.is_valid():
        try:
            area = service_area_rename(
                service_area=area, name=form.cleaned_data["name"], by=request.user
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, MSG_RENAMED.format(name=area.name))
            return redirect("accounts:organisation")
    return _name_page(
        request,
        form=form,
        heading=f"Rename the service area “{area.name}”",
        organisation=organisation,
        parent=area.directorate,
    )


def _remove_page(
    request: HttpRequest, *, record: Directorate | ServiceArea, noun: str
) -> HttpResponse:
    return render(request, "accounts/organisation/remove.html", {"record": record, "noun": noun})


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def directorate_remove_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _structure_organisation(request)
    directorate = get_directorate_for_user(request.user, pk)
    if request.method == "POST":
        try:
            directorate_remove(directorate=directorate, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, MSG_REMOVED.format(name=directorate.name))
        return redirect("accounts:organisation")
    return _remove_page(request, record=directorate, noun="directorate")


@access(LEADS, Reach.ORGANISATION)
@require_http_methods(["GET", "POST"])
def service_area_remove_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _structure_organisation(request)
    area = get_service_area_for_user(request.user, pk)
    if request.method == "POST":
        try:
            service_area_remove(service_area=area, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, MSG_REMOVED.format(name=area.name))
        return redirect("accounts:organisation")
    return _remove_page(request, record=area, noun="service area")
