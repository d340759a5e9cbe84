"""The note an action takes: optional (`NoteForm`) or a required reason (`ReasonForm`), with the API's
serializers of the same field. One field name, `note`, for every record's actions and the API alike."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .text import NOTE_TEXT


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Reason"), max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 3}))


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_TEXT)


class ReasonSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_TEXT)
