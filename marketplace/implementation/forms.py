"""The implementation pages' forms: a milestone, a progress report (photos, spending), a rating."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from marketplace.projects.models import BudgetLine
from portal.core.money import MoneyFormField, MoneySerializerField
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.core.widgets import LocalDateTimeInput

from .models import CRITERIA, MAX_SCORE, MIN_SCORE, Milestone, MilestoneStatus

SCORE_CHOICES = [(n, str(n)) for n in range(MIN_SCORE, MAX_SCORE + 1)]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=160)
    description = forms.CharField(
        label=_("What is delivered"), required=False, max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))
    tranche_amount = MoneyFormField(label=_("Tranche paid on approval (yuan)"), required=False)

    def clean_tranche_amount(self):
        return self.cleaned_data.get("tranche_amount") or 0


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleImageField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    """The implementer's progress form; spending rows are `spent_<budget line id>` (yuan) for each line."""

    milestone = forms.ModelChoiceField(label=_("Milestone"), queryset=Milestone.objects.none(), required=False)
    body = forms.CharField(
        label=_("What has been done"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    photos = MultipleImageField(label=_("Photos"), required=False, help_text=_("Up to 6 JPG, PNG or WebP images."))
    is_final = forms.BooleanField(label=_("This is the final report"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["milestone"].queryset = project.milestones.filter(
            status__in=(MilestoneStatus.PLANNED, MilestoneStatus.REJECTED, MilestoneStatus.REPORTED)
        )
        self.budget_lines = list(project.budget_lines.all())
        for line in self.budget_lines:
            self.fields[f"spent_{line.pk}"] = MoneyFormField(
                label=_("Spent on “%(line)s” (yuan)") % {"line": line.label}, required=False
            )

    def clean(self):
        data = super().clean()
        data["spending"] = [
            {"budget_line": line, "amount": data.get(f"spent_{line.pk}")}
            for line in self.budget_lines
            if data.get(f"spent_{line.pk}")
        ]
        return data

    def service_arguments(self, files):
        data = self.cleaned_data
        return {
            "milestone": data.get("milestone"),
            "body": data["body"],
            "is_final": data.get("is_final", False),
            "spending": data["spending"],
            "photos": files.getlist(self.add_prefix("photos")) if files else [],
        }


class ReportOnMilestoneForm(forms.Form):
    body = forms.CharField(
        label=_("What has been done"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportOnMilestoneSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=LONG_TEXT)


class PayForm(forms.Form):
    reference = forms.CharField(label=_("Payment reference"), max_length=80, required=False)


class PaySerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")


class RatingForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = {}
        for name, label, question in CRITERIA:
            fields[name] = forms.TypedChoiceField(
                label=label, help_text=question, choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        fields["comment"] = self.fields["comment"]
        self.fields = fields

    def scores(self):
        return {name: self.cleaned_data[name] for name, _label, _question in CRITERIA}


class PaperRatingForm(RatingForm):
    """One paper sheet from an evaluation meeting: the name on it, the meeting it was filled in at (one of
    the evaluation meetings held by a council of the project's area or above it), the scores."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        meeting = forms.ModelChoiceField(
            label=_("Evaluation meeting"),
            queryset=evaluation_meetings(project),
            required=False,
            help_text=_("The evaluation meeting where the sheet was filled in."),
        )
        self.fields = {
            "paper_name": forms.CharField(label=_("Name on the rating sheet"), max_length=60),
            "meeting": meeting,
            **self.fields,
        }


def evaluation_meetings(project, most=30):
    """The latest evaluation meetings (成效评议会) of the councils of the project's region and the regions
    above it. The meetings app is named, not imported: features do not import each other."""
    from django.apps import apps

    from .services import EVALUATION_MEETING_KIND

    meeting_model = apps.get_model("meetings", "Meeting")
    regions = [*project.region.get_ancestors(), project.region]
    latest = meeting_model.objects.filter(kind=EVALUATION_MEETING_KIND, council__region__in=regions)
    ids = list(latest.order_by("-starts_at").values_list("pk", flat=True)[:most])
    return meeting_model.objects.filter(pk__in=ids).select_related("council").order_by("-starts_at")


class EvaluationWindowForm(forms.Form):
    closes_at = forms.DateTimeField(label=_("Rating closes at"), widget=LocalDateTimeInput())


class SpendingSerializer(serializers.Serializer):
    budget_line = serializers.PrimaryKeyRelatedField(queryset=BudgetLine.objects.all())
    amount = MoneySerializerField(min_fen=1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
