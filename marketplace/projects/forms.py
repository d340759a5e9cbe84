from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.choices import NamedChoiceField
from portal.core.languages import WrittenFieldsMixin
from portal.core.models import Category
from portal.core.money import MoneyFormField
from portal.core.text import LONG_TEXT
from portal.core.widgets import LocalDateTimeInput
from portal.organisations.models import Organisation, OrganisationKind, VerificationStatus
from portal.regions.models import Region, RegionLevel

from .models import Project


class ProjectForm(WrittenFieldsMixin, forms.ModelForm):
    """What staff write about a project; its status moves separately (the project page's actions)."""

    category = NamedChoiceField(label=_("Category"), queryset=Category.objects.all())
    region = NamedChoiceField(
        label=_("Where"),
        queryset=Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY]),
        help_text=_("The community the project serves, or the street or district for a wider one."),
    )
    implementer = NamedChoiceField(
        label=_("Implementing organisation"),
        queryset=Organisation.objects.filter(
            verification_status=VerificationStatus.VERIFIED, kind=OrganisationKind.NGO
        ).order_by("name"),
        required=False,
        help_text=_("Leave empty while the project looks for an organisation to run it."),
    )

    class Meta:
        model = Project
        fields = [
            "title", "summary", "description", "category", "region", "beneficiaries", "beneficiary_count",
            "budget", "target", "funding_deadline", "implementer", "starts_on", "ends_on",
            "wants_funds", "wants_implementer", "wants_in_kind", "wants_volunteers",
        ]  # fmt: skip
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "funding_deadline": LocalDateTimeInput(),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "target": _("What donors are asked for, if less than the budget (matching funds cover the rest)."),
        }

    def __init__(self, *args, by=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("beneficiary_count", "budget", "target"):
            self.fields[name].required = False  # empty means 0
        self.fields["description"].max_length = LONG_TEXT
        if by is not None and not by.is_superuser:
            from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
            from portal.regions.models import subtree_q

            scopes = scope_regions(by, ADMINISTRATIVE_ROLES)
            self.fields["region"].queryset = (
                self.fields["region"].queryset.filter(subtree_q(scopes, field="")) if scopes else Region.objects.none()
            )
        self.fields["region"].queryset = self.fields["region"].queryset.order_by("path")

    def clean(self):
        data = super().clean()
        for name in ("beneficiary_count", "budget", "target"):
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end comes before the start."))
        budget, target = data.get("budget"), data.get("target")
        if budget is not None and target and target > budget:
            self.add_error("target", _("The funding target cannot exceed the budget."))
        return data


class BudgetLineForm(WrittenFieldsMixin, forms.Form):
    label = forms.CharField(label=_("Item"), max_length=120)
    amount = MoneyFormField(label=_("Amount"))


class InKindItemForm(WrittenFieldsMixin, forms.Form):
    name = forms.CharField(label=_("Item"), max_length=120)
    quantity = forms.IntegerField(label=_("Quantity wanted"), min_value=1)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    estimated_value = MoneyFormField(label=_("Estimated value"), required=False)


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=30, validate_max=True)
InKindItemFormSet = forms.formset_factory(InKindItemForm, extra=1, max_num=30, validate_max=True)


def lines(formset):
    """The filled-in rows of a valid formset, as dicts for the services."""
    return [
        {k: v for k, v in form.cleaned_data.items() if v not in (None, "") or k == "unit"}
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Move to"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices


class AssignForm(forms.Form):
    """Staff hand a project to a verified NGO directly (党政部门交办)."""

    organisation = forms.ModelChoiceField(label=_("NGO"), queryset=None)
    authority = forms.CharField(
        label=_("Assigned by"), max_length=120, help_text=_("The department or office that assigns it.")
    )
    reason = forms.CharField(label=_("Why"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from portal.organisations.models import Organisation, OrganisationKind, VerificationStatus

        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            kind=OrganisationKind.NGO, verification_status=VerificationStatus.VERIFIED
        ).order_by("name")
