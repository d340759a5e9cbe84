from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.text import NOTE_TEXT

from .models import COMMENT_TEXT


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=COMMENT_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("You may use <strong>, <em>, lists, quotes and links. Other markup is removed."),
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReportForm(forms.Form):
    reason = forms.CharField(label=_("What is wrong with this comment?"), max_length=500, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it hidden? (its author reads this)"),
        max_length=NOTE_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
