from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.choices import MarkedSelect
from portal.core.money import MoneyFormField
from portal.organisations.models import Organisation

from .models import Provider
from .providers import available_providers


class GiveForm(forms.Form):
    amount = MoneyFormField(label=_("Amount in yuan"), min_fen=1, help_text=_("For example 200 or 1,000.50."))
    provider = forms.ChoiceField(label=_("How you will give"), widget=forms.RadioSelect)
    organisation = forms.ModelChoiceField(
        label=_("Give on behalf of"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("Myself"),
        help_text=_("A verified organisation you belong to."),
    )
    public_name = forms.BooleanField(
        label=_("Show my name (or my organisation's) on the project's list of donors"), required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Provider.choices)
        self.fields["provider"].choices = [(p.value, labels[p]) for p in available_providers()]
        self.fields["provider"].initial = Provider.OFFLINE
        if user is not None and user.is_authenticated:
            orgs = Organisation.objects.verified().filter(memberships__user=user).order_by("name")
            self.fields["organisation"].queryset = orgs
            if not orgs.exists():
                del self.fields["organisation"]
        else:
            del self.fields["organisation"]


class ConfirmForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference"), max_length=100, help_text=_("The bank transfer's reference or the cash receipt's number.")
    )
    received_on = forms.DateField(
        label=_("Date received"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on and received_on > timezone.localdate():
            raise forms.ValidationError(_("The date received cannot be in the future."), code="received_on_future")
        return received_on


class RefundForm(forms.Form):
    amount = MoneyFormField(label=_("Amount to give back, in yuan"), min_fen=1)
    note = forms.CharField(label=_("Reason"), max_length=200)


class ReturnForm(forms.Form):
    reference = forms.CharField(
        label=_("How it was handed back"),
        max_length=100,
        help_text=_("The transfer's reference, or who received the cash and when."),
    )


class DeadlineChoiceForm(forms.Form):
    """The donor's choice for a gift whose project missed its deadline: the money back or another project."""

    option = forms.ChoiceField(
        label=_("What should happen to your gift?"),
        widget=forms.RadioSelect,
        choices=[("refund", _("Return it to me")), ("move", _("Move it to another project"))],
        initial="refund",
    )
    project = forms.ModelChoiceField(
        label=_("Project to move it to"),
        queryset=None,
        required=False,
        empty_label=_("Choose a project"),
        help_text=_("Projects in the district still raising money."),
        widget=MarkedSelect,  # project titles are Chinese: each option marked with its language
    )

    def __init__(self, *args, choice=None, **kwargs):
        from .deadlines import open_projects

        super().__init__(*args, **kwargs)
        projects = open_projects().select_related("region").order_by("funding_deadline", "title")
        if choice is not None:
            projects = projects.exclude(pk=choice.project_id)
        self.fields["project"].queryset = projects
        self.fields["project"].label_from_instance = lambda p: f"{p.title} · {p.region.display_name}"

    def clean(self):
        data = super().clean()
        if data.get("option") == "move" and not data.get("project"):
            self.add_error("project", _("Choose the project to move your gift to."))
        return data
