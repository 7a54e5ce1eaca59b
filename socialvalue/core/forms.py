"""Form helpers shared by every app."""

from typing import TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured

FieldT = TypeVar("FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[FieldT]) -> FieldT:
    """The form's field ``name``, typed as ``kind``; a programming error if it is not one."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise ImproperlyConfigured(
            f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}"
        )
    return field
