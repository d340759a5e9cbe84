from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.choices import LanguageSelect, NamedChoiceField
from portal.core.phones import normalise_phone
from portal.core.text import validate_display_name
from portal.regions.models import Region, RegionLevel

from .models import User


class SignupForm(AllauthSignupForm):
    """Allauth's sign-up with a display name and a honeypot field that bots fill and people never see."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=100,
        required=False,
        validators=[validate_display_name],
        help_text=_("Shown next to what you post publicly. You can leave it empty."),
    )
    # A field hidden from people (CSS + aria-hidden); bots that fill every input give themselves away.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    field_order = ["username", "email", "display_name", "password1", "password2", "homepage"]

    def clean_homepage(self):
        if self.cleaned_data.get("homepage"):
            raise forms.ValidationError(_("Your sign-up could not be accepted. Please try again."), code="honeypot")
        return ""


class ProfileForm(forms.ModelForm):
    home_community = NamedChoiceField(
        label=_("Home community"),
        queryset=Region.objects.filter(level=RegionLevel.COMMUNITY).order_by("path"),
        required=False,
        help_text=_("Staff of that community verify your residence before you can act as a resident there."),
    )

    class Meta:
        model = User
        fields = ["display_name", "phone", "home_community", "language"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
            "language": LanguageSelect,
        }

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        if not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("That password is not correct."))
        return ""
