from django import forms
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import role_facts
from portal.core.choices import NamedChoiceField
from portal.core.money import MoneyFormField
from portal.core.text import LONG_TEXT, NOTE_TEXT
from portal.organisations.models import Organisation, OrganisationKind

from .models import Bid, BidStatus
from .services import check_attachments


class OrganisationChoiceField(NamedChoiceField):
    """The verified organisations the person belongs to (on behalf of one of them, or for oneself)."""

    def __init__(self, user, *, kinds=None, **kwargs):
        queryset = Organisation.objects.filter(pk__in=role_facts(user).verified_organisation_ids)
        if kinds:
            queryset = queryset.filter(kind__in=kinds)
        super().__init__(queryset=queryset.order_by("name"), **kwargs)


class ClaimForm(forms.Form):
    """What every claim asks: on whose behalf, and a word to the project office."""

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["organisation"] = OrganisationChoiceField(
            user,
            required=False,
            label=_("On behalf of"),
            empty_label=_("Myself"),
            help_text=_("A verified organisation you belong to, or yourself."),
        )
        if not self.fields["organisation"].queryset.exists():
            del self.fields["organisation"]
        self.fields["message"] = forms.CharField(
            label=_("Message to the project office"),
            required=False,
            max_length=NOTE_TEXT,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.order_fields([*self.field_order_for_mode, "organisation", "message"])

    field_order_for_mode = ()


class FundClaimForm(ClaimForm):
    field_order_for_mode = ("amount", "covers_gap")
    amount = MoneyFormField(
        label=_("Amount you pledge (yuan)"),
        required=False,
        min_fen=1,
        help_text=_("Part or all of it. Staff confirm the pledge; you pay later, as agreed with them."),
    )
    covers_gap = forms.BooleanField(label=_("I pledge the whole amount still missing"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("covers_gap") and not data.get("amount") and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount you pledge, or pledge the whole amount still missing."))
        return data


class InKindClaimForm(ClaimForm):
    field_order_for_mode = ("in_kind_item", "item_description", "quantity", "estimated_value")
    item_description = forms.CharField(label=_("Or something else: what you give"), required=False, max_length=200)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=1_000_000)
    estimated_value = MoneyFormField(label=_("Estimated value (yuan)"), required=False)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.fields["in_kind_item"] = NamedChoiceField(
            queryset=project.in_kind_items.all(), required=False, label=_("An item the project asks for")
        )
        self.order_fields([*self.field_order_for_mode, "organisation", "message"])

    def clean(self):
        data = super().clean()
        if not data.get("in_kind_item") and not (data.get("item_description") or "").strip():
            self.add_error("in_kind_item", _("Choose an item, or say what you give."))
        data["estimated_value"] = data.get("estimated_value") or 0
        return data


class VolunteerClaimForm(ClaimForm):
    field_order_for_mode = ("hours", "skills")
    hours = forms.IntegerField(label=_("Hours you offer"), min_value=1, max_value=10_000)
    skills = forms.CharField(
        label=_("Skills"), required=False, max_length=200, help_text=_("Such as first aid, cooking, repairs.")
    )


CLAIM_FORMS = {"fund": FundClaimForm, "in_kind": InKindClaimForm, "volunteer": VolunteerClaimForm}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return check_attachments(files)


class BidForm(forms.ModelForm):
    price = MoneyFormField(label=_("Price (yuan)"), min_fen=1, help_text=_("What running the project costs, in all."))
    attachments = AttachmentsField(
        label=_("Attachments"), required=False, help_text=_("Up to 5 PDF, JPG or PNG files of at most 10 MB each.")
    )

    class Meta:
        model = Bid
        fields = ["organisation", "plan", "price", "timeline", "team", "track_record"]
        widgets = {
            "plan": forms.Textarea(attrs={"rows": 6}),
            "timeline": forms.Textarea(attrs={"rows": 3}),
            "team": forms.Textarea(attrs={"rows": 3}),
            "track_record": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "plan": _("What you will do, for whom, and how residents will take part."),
            "timeline": _("When each stage starts and ends."),
            "team": _("Who works on it, with their qualifications."),
            "track_record": _("Similar projects you have run, and how they went."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationChoiceField(
            user, kinds=[OrganisationKind.NGO], label=_("Your organisation")
        )
        organisations = list(self.fields["organisation"].queryset[:2])
        if len(organisations) == 1:  # the usual case: a member of one NGO bids for it
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["plan"].max_length = LONG_TEXT
        self.order_fields(["organisation", "plan", "price", "timeline", "team", "track_record", "attachments"])


class OpinionForm(forms.Form):
    representative_name = forms.CharField(label=_("Representative"), max_length=100)
    representative_role = forms.CharField(
        label=_("Role"), max_length=100, help_text=_("Such as building head, residents' council member.")
    )
    bid = NamedChoiceField(
        queryset=Bid.objects.none(), required=False, label=_("About the bid of"), empty_label=_("All bids")
    )
    opinion = forms.CharField(label=_("Opinion"), max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bid"].queryset = project.bids.filter(status=BidStatus.SUBMITTED).select_related("organisation")
        self.fields["bid"].label_from_instance = lambda b: b.organisation.display_name
