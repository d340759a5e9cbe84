from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.choices import NamedChoiceField
from portal.core.models import Category
from portal.core.text import LONG_TEXT, ReasonableDate
from portal.regions.models import Region

from .models import PersonKind


class GridLogForm(forms.Form):
    grid = NamedChoiceField(label=_("Grid"), queryset=Region.objects.none())
    date = forms.DateField(
        label=_("Date"),
        initial=timezone.localdate,
        validators=[ReasonableDate(days_ahead=0)],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visits_made = forms.IntegerField(label=_("Households visited"), min_value=0, initial=0)
    summary = forms.CharField(
        label=_("Summary of the day"), required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = grids


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who"), choices=PersonKind.choices)
    person_name = forms.CharField(label=_("Name"), max_length=60)
    address = forms.CharField(label=_("Address"), max_length=120, required=False)
    notes = forms.CharField(label=_("Notes"), max_length=255, required=False)


class IssueForm(forms.Form):
    description = forms.CharField(label=_("Issue found"), max_length=255)
    category = NamedChoiceField(label=_("Category"), queryset=Category.objects.all())


VisitFormSet = forms.formset_factory(VisitForm, extra=3)
IssueFormSet = forms.formset_factory(IssueForm, extra=3)
