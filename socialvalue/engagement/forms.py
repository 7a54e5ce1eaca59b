"""Forms: the events filter, registering for an event, and the lead's event and post editors."""

from datetime import date, datetime, time
from typing import Any

from django import forms
from django.utils import timezone

from socialvalue.accounts.models import Organisation
from socialvalue.core.forms import form_field
from socialvalue.engagement.models import (
    ERR_ADDRESS_REQUIRED,
    ERR_CLOSES_AFTER_END,
    ERR_CLOSES_BEFORE_OPENS,
    ERR_ENDS_BEFORE_START,
    ERR_VENUE_REQUIRED,
    Event,
    Post,
)

ERR_KIND_CHOICE = "Choose a type of event from the list."
ERR_NAME_REQUIRED = "Enter your full name."
ERR_NAME_LONG = "Your name must be 200 characters or fewer."
ERR_EMAIL_REQUIRED = "Enter your email address."
ERR_EMAIL_INVALID = "Enter an email address in the correct format, like name@example.org."
ERR_ORGANISATION_LONG = "The organisation name must be 200 characters or fewer."
ERR_NEEDS_LONG = "Your needs must be 1,000 characters or fewer."
ERR_TITLE_REQUIRED = "Enter a title."
ERR_TITLE_LONG = "The title must be 200 characters or fewer."
ERR_EVENT_KIND_REQUIRED = "Choose the type of event."
ERR_POST_KIND_REQUIRED = "Choose the type of post."
ERR_SUMMARY_REQUIRED = "Enter a short summary."
ERR_SUMMARY_LONG = "The summary must be 300 characters or fewer."
ERR_DESCRIPTION_REQUIRED = "Enter a description of the event."
ERR_BODY_REQUIRED = "Enter the text of the post."
ERR_TEXT_LONG = "The text must be 20,000 characters or fewer."
ERR_DATE_REQUIRED = "Enter the date of the event."
ERR_DATE_INVALID = "Enter a real date, like 12/03/2026."
ERR_START_REQUIRED = "Enter the time the event starts."
ERR_END_REQUIRED = "Enter the time the event ends."
ERR_TIME_INVALID = "Enter a time like 09:30 or 14:00."
ERR_END_DATE_BEFORE = "The end date must be the same as or after the date of the event."
ERR_FORMAT_REQUIRED = "Choose whether the event is in person or online."
ERR_CAPACITY_INVALID = "Enter the number of places as a whole number, like 40."
ERR_CAPACITY_MIN = "The number of places must be 1 or more. Leave it empty for no limit."
ERR_MOMENT_INVALID = "Enter a real date and time."
ERR_ORGANISER_REQUIRED = "Choose the organisation running the event."

MAX_TEXT = 20_000
IN_PERSON = "in_person"
ONLINE = "online"


class EventFilterForm(forms.Form):
    """The type-of-event filter above the list of events (a plain GET form)."""

    kind = forms.ChoiceField(
        label="Type of event",
        required=False,
        choices=[("", "All types"), *Event.Kind.choices],
        error_messages={"invalid_choice": ERR_KIND_CHOICE},
    )

    def kind_value(self) -> str:
        """The chosen type when it is valid, else "" (an invalid filter is not applied)."""
        if not self.is_bound or not self.is_valid():
            return ""
        return str(self.cleaned_data.get("kind") or "")


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": ERR_NAME_REQUIRED, "max_length": ERR_NAME_LONG},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="We will send your confirmation and a link to cancel your place here.",
        max_length=254,
        error_messages={"required": ERR_EMAIL_REQUIRED, "invalid": ERR_EMAIL_INVALID},
    )
    organisation = forms.CharField(
        label="Organisation",
        max_length=200,
        required=False,
        error_messages={"max_length": ERR_ORGANISATION_LONG},
    )
    needs = forms.CharField(
        label="Accessibility or dietary needs",
        help_text="Tell us anything we need to arrange so that you can take part.",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": ERR_NEEDS_LONG},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update(autocomplete="name", spellcheck="false")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["organisation"].widget.attrs["autocomplete"] = "organization"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


def _aware(day: date, clock: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, clock))


class EventForm(forms.Form):
    """The social value lead's event editor. Times are Europe/London."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": ERR_TITLE_REQUIRED, "max_length": ERR_TITLE_LONG},
    )
    kind = forms.ChoiceField(
        label="Type of event",
        choices=Event.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": ERR_EVENT_KIND_REQUIRED,
            "invalid_choice": ERR_EVENT_KIND_REQUIRED,
        },
    )
    summary = forms.CharField(
        label="Summary",
        help_text="One or two sentences, shown in the list of events.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_SUMMARY_REQUIRED, "max_length": ERR_SUMMARY_LONG},
    )
    description = forms.CharField(
        label="Description",
        help_text=(
            "Who it is for, what will happen and what people will get from it. You can use "
            "Markdown: ## for a heading, * for a bullet, **bold**, [link text](https://…)."
        ),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": ERR_DESCRIPTION_REQUIRED, "max_length": ERR_TEXT_LONG},
    )
    date = forms.DateField(
        label="Date",
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"required": ERR_DATE_REQUIRED, "invalid": ERR_DATE_INVALID},
    )
    start_time = forms.TimeField(
        label="Start time",
        help_text="UK time, for example 09:30.",
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
        error_messages={"required": ERR_START_REQUIRED, "invalid": ERR_TIME_INVALID},
    )
    end_time = forms.TimeField(
        label="End time",
        help_text="UK time, for example 12:30.",
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
        error_messages={"required": ERR_END_REQUIRED, "invalid": ERR_TIME_INVALID},
    )
    end_date = forms.DateField(
        label="End date",
        help_text="Only for an event over more than one day.",
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": ERR_DATE_INVALID},
    )
    event_format = forms.ChoiceField(
        label="In person or online",
        choices=[(IN_PERSON, "In person"), (ONLINE, "Online")],
        widget=forms.RadioSelect,
        error_messages={"required": ERR_FORMAT_REQUIRED, "invalid_choice": ERR_FORMAT_REQUIRED},
    )
    venue_name = forms.CharField(
        label="Venue", help_text="Needed for an event in person.", max_length=200, required=False
    )
    address = forms.CharField(
        label="Address",
        help_text=(
            "Needed for an event in person: one line of the address per line, without the postcode."
        ),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    joining_instructions = forms.CharField(
        label="Joining instructions",
        help_text=(
            "Shown only to people with a confirmed place, and sent in their confirmation email: "
            "the link to join online, or where to go when they arrive."
        ),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    capacity = forms.IntegerField(
        label="Number of places",
        help_text="Leave empty for no limit, for example for a webinar.",
        required=False,
        min_value=1,
        error_messages={"invalid": ERR_CAPACITY_INVALID, "min_value": ERR_CAPACITY_MIN},
    )
    registration_opens_at = forms.DateTimeField(
        label="Registration opens",
        help_text="Leave empty to open registration as soon as the event is published.",
        required=False,
        input_formats=MOMENT_FORMATS,
        widget=MomentInput(),
        error_messages={"invalid": ERR_MOMENT_INVALID},
    )
    registration_closes_at = forms.DateTimeField(
        label="Registration closes",
        help_text="Leave empty to keep registration open until the event starts.",
        required=False,
        input_formats=MOMENT_FORMATS,
        widget=MomentInput(),
        error_messages={"invalid": ERR_MOMENT_INVALID},
    )
    organiser = forms.ModelChoiceField(
        label="Organised by",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": ERR_ORGANISER_REQUIRED,
            "invalid_choice": ERR_ORGANISER_REQUIRED,
        },
    )

    # Where the model's errors belong on this form.
    MODEL_FIELD_TO_FORM = {
        "starts_at": "start_time",
        "ends_at": "end_time",
        "is_online": "event_format",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organiser = form_field(self, "organiser", forms.ModelChoiceField)
        organiser.queryset = Organisation.objects.filter(
            kind__in=[Organisation.Kind.BUYER, Organisation.Kind.PARTNER]
        ).order_by("name")
        self.fields["postcode"].widget.attrs.update(autocomplete="postal-code", spellcheck="false")
        self.fields["capacity"].widget.attrs["inputmode"] = "numeric"

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        starts = timezone.localtime(event.starts_at)
        ends = timezone.localtime(event.ends_at)
        opens, closes = event.registration_opens_at, event.registration_closes_at
        return {
            "title": event.title,
            "kind": event.kind,
            "summary": event.summary,
            "description": event.description,
            "date": starts.date(),
            "start_time": starts.time(),
            "end_time": ends.time(),
            "end_date": ends.date() if ends.date() != starts.date() else None,
            "event_format": ONLINE if event.is_online else IN_PERSON,
            "venue_name": event.venue_name,
            "address": event.address,
            "postcode": event.postcode,
            "joining_instructions": event.joining_instructions,
            "capacity": event.capacity,
            "registration_opens_at": timezone.localtime(opens) if opens else None,
            "registration_closes_at": timezone.localtime(closes) if closes else None,
            "organiser": event.organiser_id,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        end_day = cleaned.get("end_date") or day
        if day and cleaned.get("end_date") and cleaned["end_date"] < day:
            self.add_error("end_date", ERR_END_DATE_BEFORE)
        elif day and start and end and end_day and _aware(end_day, end) <= _aware(day, start):
            self.add_error("end_time", ERR_ENDS_BEFORE_START)
        if cleaned.get("event_format") == IN_PERSON:
            if not cleaned.get("venue_name", "").strip():
                self.add_error("venue_name", ERR_VENUE_REQUIRED)
            if not cleaned.get("address", "").strip():
                self.add_error("address", ERR_ADDRESS_REQUIRED)
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", ERR_CLOSES_BEFORE_OPENS)
        elif closes and day and end and end_day and closes > _aware(end_day, end):
            self.add_error("registration_closes_at", ERR_CLOSES_AFTER_END)
        return cleaned

    def event_data(self) -> dict[str, Any]:
        """The cleaned data in the shape the services take."""
        data = self.cleaned_data
        day = data["date"]
        end_day = data.get("end_date") or day
        return {
            "title": " ".join(data["title"].split()),
            "kind": data["kind"],
            "summary": data["summary"].strip(),
            "description": data["description"],
            "starts_at": _aware(day, data["start_time"]),
            "ends_at": _aware(end_day, data["end_time"]),
            "is_online": data["event_format"] == ONLINE,
            "venue_name": data["venue_name"].strip(),
            "address": data["address"].strip(),
            "postcode": data["postcode"],
            "joining_instructions": data["joining_instructions"].strip(),
            "capacity": data["capacity"],
            "registration_opens_at": data["registration_opens_at"],
            "registration_closes_at": data["registration_closes_at"],
            "organiser": data["organiser"],
        }

    def preview_event(self) -> Event:
        """An unsaved event built from what was typed, for the preview (valid forms only)."""
        data = self.event_data()
        organiser = data.pop("organiser")
        event = Event(**data, organiser=organiser, status=Event.Status.DRAFT)
        return event


class PostForm(forms.Form):
    """The social value lead's message board editor."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": ERR_TITLE_REQUIRED, "max_length": ERR_TITLE_LONG},
    )
    kind = forms.ChoiceField(
        label="Type of post",
        choices=Post.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": ERR_POST_KIND_REQUIRED,
            "invalid_choice": ERR_POST_KIND_REQUIRED,
        },
    )
    summary = forms.CharField(
        label="Summary",
        help_text="One or two sentences, shown on the message board.",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": ERR_SUMMARY_REQUIRED, "max_length": ERR_SUMMARY_LONG},
    )
    body = forms.CharField(
        label="Text",
        help_text=(
            "You can use Markdown: ## for a heading, * for a bullet, **bold**, "
            "[link text](https://…)."
        ),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": ERR_BODY_REQUIRED, "max_length": ERR_TEXT_LONG},
    )

    @staticmethod
    def initial_for(post: Post) -> dict[str, Any]:
        return {"title": post.title, "kind": post.kind, "summary": post.summary, "body": post.body}

    def post_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": " ".join(data["title"].split()),
            "kind": data["kind"],
            "summary": data["summary"].strip(),
            "body": data["body"],
        }
