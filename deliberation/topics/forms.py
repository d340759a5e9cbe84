from django import forms
from django.utils.translation import gettext_lazy as _

from deliberation.councils.models import Council
from portal.core.choices import NamedChoiceField
from portal.core.models import Category
from portal.core.text import LONG_TEXT, NOTE_TEXT

from .models import Topic, TopicStatus


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = forms.CharField(
        label=_("What should be discussed, and why"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = NamedChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)


class ClassifyForm(forms.Form):
    category = NamedChoiceField(label=_("Category"), queryset=Category.objects.all())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into the topic"),
        queryset=Topic.objects.filter(status__in=[TopicStatus.COLLECTING, TopicStatus.QUEUED]),
        widget=forms.NumberInput,
        help_text=_("The number of the topic that stays (shown on its page)."),
    )
    note = forms.CharField(label=_("Note"), max_length=NOTE_TEXT, required=False)


class TopicFilterForm(forms.Form):
    """The list's filters; a bad value is a 400, never a silent empty list."""

    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any"))] + TopicStatus.choices, required=False)
    # Chosen by name (the value stays the council's slug, so links to `?council=<slug>` keep working).
    council = NamedChoiceField(
        label=_("Council"),
        queryset=Council.objects.filter(is_active=True).order_by("level", "name"),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
    category = NamedChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Any"),
    )
