from django import forms
from django.utils.translation import gettext_lazy as _

from deliberation.topics.models import Topic, TopicStatus
from deliberation.votes.forms import VoteForm  # noqa: F401 (the meeting views use it from here)
from portal.core.text import LONG_TEXT
from portal.core.widgets import LocalDateTimeInput

from .models import Meeting, Purpose


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "eligibility",
            "registration_closes_at",
        ]
        widgets = {
            "starts_at": LocalDateTimeInput(),
            "ends_at": LocalDateTimeInput(),
            "registration_closes_at": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }


class RegisterForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("I want to"), choices=Purpose.choices, initial=Purpose.ATTEND, widget=forms.RadioSelect
    )


class RegisterForForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices, initial=Purpose.ATTEND)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), max_length=LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.none(), required=False)
    documents = MultipleFileField(label=_("Background documents"), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(
            council=meeting.council, status__in=(TopicStatus.COLLECTING, TopicStatus.QUEUED)
        ).order_by("-support_count", "-created_at")


class CheckInForm(forms.Form):
    token = forms.CharField(
        label=_("Code on the QR ticket"), max_length=64, help_text=_("Scan the QR code or type the code under it.")
    )


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Minutes"),
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Paragraphs, lists, bold and links are kept; anything else is removed."),
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(meeting.agenda_items.all())
        for item in self.items:
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                label=_("Decision on “%(title)s”") % {"title": item.title},
                max_length=LONG_TEXT,
                required=False,
                initial=item.decision,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def decisions(self):
        return {item.pk: self.cleaned_data.get(f"decision_{item.pk}", "") for item in self.items}


class FollowUpForm(forms.Form):
    what = forms.CharField(label=_("What is to be done"), max_length=300)
    responsible = forms.CharField(label=_("Who does it"), max_length=120)
    due_on = forms.DateField(label=_("By"), widget=forms.DateInput(attrs={"type": "date"}))
