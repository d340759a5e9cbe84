"""The declaration's steps. Each step's form keeps whatever is typed: nothing is required before submitting."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.money import MoneyFormField

from .models import Declaration


class ProblemForm(forms.ModelForm):
    class Meta:
        model = Declaration
        fields = ["title", "problem", "target_group", "beneficiaries"]
        help_texts = {
            "problem": _("What residents face today, and how you know (visits, surveys, needs on the portal)."),
            "target_group": _("For example: elderly people living alone, or parents of children aged 3 to 6."),
            "beneficiaries": _("How many people the project reaches directly."),
        }


class PlanForm(forms.ModelForm):
    class Meta:
        model = Declaration
        fields = ["activities", "timeline", "team"]
        help_texts = {
            "activities": _("What you will do, how often and where."),
            "timeline": _("The months and what happens in each."),
            "team": _("Who runs it: staff, social workers, volunteers, and their experience."),
        }


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Item"), max_length=120, required=False)
    amount = MoneyFormField(label=_("Cost (yuan)"), required=False, min_fen=0)
    requested = MoneyFormField(label=_("Asked of the call"), required=False, min_fen=0)
    self_raised = MoneyFormField(label=_("Raised by the NGO"), required=False, min_fen=0)
    other_sources = MoneyFormField(label=_("Other sources"), required=False, min_fen=0)


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=2, max_num=40, absolute_max=40)


class AttachmentForm(forms.Form):
    document = forms.ChoiceField(label=_("Document"))
    file = forms.FileField(label=_("File"), help_text=_("A PDF, JPG or PNG file, 10 MB at most."))

    def __init__(self, *args, documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [(d, d) for d in documents]


class OverrideForm(forms.Form):
    amount = MoneyFormField(label=_("Grant (yuan)"), min_fen=0)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class PanelForm(forms.Form):
    username = forms.CharField(label=_("Reviewer's user name"), max_length=150)
    kind = forms.ChoiceField(label=_("Reviewer"))
    reserve = forms.BooleanField(label=_("Reserve (steps in when a reviewer is excluded)"), required=False)

    def __init__(self, *args, **kwargs):
        from .models import ReviewerKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ReviewerKind.choices


class ObjectionForm(forms.Form):
    """An objection to the results, with reasons (naming the result objected to in the reasons; the API can
    also point at one award)."""

    reason = forms.CharField(label=_("Your reasons"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("dismiss", _("Dismiss: the results stand")), ("uphold", _("Uphold: back to review to correct"))],
    )
    answer = forms.CharField(label=_("Public answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
