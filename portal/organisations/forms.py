from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.choices import NamedChoiceField, NamedMultipleChoiceField
from portal.core.models import Category
from portal.core.uploads import DOCUMENT, check_upload
from portal.regions.models import Region, RegionLevel

from .models import IDENTITY_FIELDS, DocumentKind, MemberRole, Organisation, OrganisationKind
from .uscc import normalise, validate_uscc


def _region_choices():
    return Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY]).order_by(
        "path"
    )


class RegionChoiceField(NamedChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * (obj.depth - 1) + obj.display_name


class RegionMultipleChoiceField(NamedMultipleChoiceField):
    def label_from_instance(self, obj):
        return "\u3000" * (obj.depth - 1) + obj.display_name


class OrganisationForm(forms.ModelForm):
    uscc = forms.CharField(
        label=_("Unified social credit code"),
        max_length=40,  # room for pasted spaces; the validator explains a wrong length
        help_text=_("18 characters, as printed on the registration certificate."),
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    region = RegionChoiceField(label=_("Registered in"), queryset=Region.objects.none())
    service_regions = RegionMultipleChoiceField(
        label=_("Service regions"),
        queryset=Region.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    categories = NamedMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organisation
        fields = [
            "kind",
            "name",
            "name_en",
            "uscc",
            "region",
            "service_regions",
            "registered_on",
            "categories",
            "contact_name",
            "contact_phone",
            "contact_email",
            "website",
            "logo",
            "description",
        ]
        widgets = {"registered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = _region_choices()
        self.fields["service_regions"].queryset = _region_choices()
        kind = self.fields["kind"]
        if self.instance.pk and self.instance.kind == OrganisationKind.DEPARTMENT:
            kind.disabled = True  # a department stays a department
        elif not user.has_perm("organisations.add_department"):
            # Departments are set up by district staff, never registered by their members.
            kind.choices = [c for c in kind.choices if c[0] != OrganisationKind.DEPARTMENT]
        if self.instance.pk and self.instance.is_verified:
            for name in IDENTITY_FIELDS:
                self.fields[name].help_text = _(
                    "Changing the kind, name, code or registration place sends the organisation back to "
                    "verification; its members' roles wait until staff have checked it again."
                )

    def clean_uscc(self):
        code = normalise(self.cleaned_data["uscc"])
        validate_uscc(code)
        return code

    def _post_clean(self):
        # Uniqueness of the code is checked by the service (and the database), with a clear message.
        self._validate_unique = False
        super()._post_clean()


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document type"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF or image, up to 10 MB."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        check_upload(f, DOCUMENT)
        return f


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the organisation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
