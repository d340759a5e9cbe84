"""Database ids read from query strings and forms: 1 to 2**63 - 1, or the input is invalid.

A number past the largest BIGINT reaches the database (or SQLite's driver) as an error that
would be a 500: `?book=9223372036854775808`. A filter or form field reading an id checks its
range first, so the API answers 400 and a page ignores the filter with a message.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models

MAX_ID = 2**63 - 1
DIGITS = re.compile(r"[0-9]{1,19}")


def as_id(value):
    """The id `value` spells (digits only, 1..MAX_ID), or None."""
    text = str(value).strip()
    if not DIGITS.fullmatch(text):
        return None
    number = int(text)
    return number if 1 <= number <= MAX_ID else None


class IdField(forms.IntegerField):
    """A whole number that can be a database id."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """`?project=<id>`: a NumberFilter that accepts ids only (no decimals, nothing out of range)."""

    field_class = IdField


class BoundedPkMixin:
    """For a ModelChoiceField chosen by an integer primary key: an out-of-range key is an invalid choice,
    not a database error."""

    def to_python(self, value):
        if value not in self.empty_values and self._integer_key() and as_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def _integer_key(self):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        while key.is_relation:  # a page's key is its pointer to wagtail's Page
            key = key.target_field
        return isinstance(key, models.IntegerField | models.AutoField)


class IdModelChoiceField(BoundedPkMixin, forms.ModelChoiceField):
    pass
