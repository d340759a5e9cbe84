from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QuestionKind


class BallotForm(forms.Form):
    """The ballot: one option (for/against/abstain) or up to the vote's number of choices."""

    receipt = forms.CharField(
        label=_("Your receipt code (only to change a secret ballot)"), max_length=20, required=False
    )

    def __init__(self, *args, vote, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        choices = [(o.pk, o.display_label) for o in vote.options.all()]
        if vote.kind == QuestionKind.FOR_AGAINST:
            self.fields["choices"] = forms.TypedChoiceField(
                label=_("Your choice"), choices=choices, coerce=int, widget=forms.RadioSelect
            )
        else:
            self.fields["choices"] = forms.TypedMultipleChoiceField(
                label=_("Your choices"),
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Choose at most %(n)d. A ballot with nothing chosen is blank.") % {"n": vote.max_choices},
            )
        if not (vote.is_secret and vote.allow_change):
            del self.fields["receipt"]
        self.order_fields(["choices", "receipt"])

    def chosen(self):
        value = self.cleaned_data["choices"]
        return value if isinstance(value, list) else [value]


class CodeBallotForm(BallotForm):
    code = forms.CharField(label=_("Your one-time voting code"), max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("receipt", None)
        self.order_fields(["code", "choices"])


class ElectorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ElectorForm(forms.Form):
    """Choose one elector who has not voted yet."""

    def __init__(self, *args, vote, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elector"] = ElectorChoiceField(
            label=_("Voter"), queryset=vote.electors.filter(participation__isnull=True).order_by("name")
        )


class PaperBallotForm(BallotForm):
    """A paper ballot from the box; on an open vote, also whose it is."""

    def __init__(self, *args, vote, **kwargs):
        super().__init__(*args, vote=vote, **kwargs)
        self.fields.pop("receipt", None)
        if not vote.is_secret:
            self.fields["elector"] = ElectorChoiceField(
                label=_("Voter"), queryset=vote.electors.filter(participation__isnull=True).order_by("name")
            )
