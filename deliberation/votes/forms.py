from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.widgets import LocalDateTimeInput

from .models import BallotKind, ElectorateKind, QuestionKind, Threshold


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


class PaperBatchForm(forms.Form):
    """A secret vote's paper box, counted once the desk is closed: how many ballots chose each option
    (single choice) or each set of options (several choices, one line per set)."""

    def __init__(self, *args, vote, **kwargs):
        super().__init__(*args, **kwargs)
        self.vote = vote
        self.options = list(vote.options.all())
        self.single = vote.max_choices == 1
        if self.single:
            for o in self.options:
                self.fields[f"option_{o.pk}"] = forms.IntegerField(
                    label=o.display_label, min_value=0, max_value=100000, initial=0
                )
            if vote.kind == QuestionKind.CHOICES:
                self.fields["blank"] = forms.IntegerField(
                    label=_("Blank ballots"), min_value=0, max_value=100000, initial=0
                )
        else:
            self.fields["sets"] = forms.CharField(
                label=_("Ballots by the options chosen"),
                widget=forms.Textarea(attrs={"rows": 6}),
                help_text=_(
                    "One line per set of options: the number of ballots, a colon, then the options chosen "
                    "separated by commas, e.g. “3: East gate, West gate”. Nothing after the colon: blank ballots."
                ),
            )

    def clean_sets(self):
        by_label = {str(o.display_label).strip(): o.pk for o in self.options}
        batch = []
        for raw in self.cleaned_data["sets"].splitlines():
            line = raw.strip()
            if not line:
                continue
            count, sep, labels = line.replace("：", ":").partition(":")
            if not sep or not count.strip().isdigit():
                raise forms.ValidationError(
                    _("Start each line with a number of ballots and a colon: %(line)s"), params={"line": line}
                )
            chosen = []
            for label in labels.replace("，", ",").replace("、", ",").split(","):
                label = label.strip()
                if not label:
                    continue
                if label not in by_label:
                    raise forms.ValidationError(_("“%(label)s” is not one of the options."), params={"label": label})
                chosen.append(by_label[label])
            batch.append((chosen, int(count)))
        return batch

    def batch(self):
        if not self.single:
            return self.cleaned_data["sets"]
        batch = [([o.pk], self.cleaned_data[f"option_{o.pk}"] or 0) for o in self.options]
        if "blank" in self.fields:
            batch.append(([], self.cleaned_data["blank"] or 0))
        return [(chosen, count) for chosen, count in batch if count]


class VoteForm(forms.Form):
    """A vote on one agenda item (the meeting desk) or, without a meeting, on a topic online."""

    question = forms.CharField(label=_("Question"), max_length=300)
    kind = forms.ChoiceField(label=_("Question kind"), choices=QuestionKind.choices)
    options = forms.CharField(
        label=_("Choices, one per line (several choices only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_choices = forms.IntegerField(label=_("Most choices a voter may select"), min_value=1, initial=1)
    electorate = forms.ChoiceField(label=_("Who votes"), choices=ElectorateKind.choices)
    ballot = forms.ChoiceField(label=_("Ballot"), choices=BallotKind.choices)
    quorum_count = forms.IntegerField(label=_("Quorum (people)"), min_value=0, initial=0)
    quorum_percent = forms.IntegerField(
        label=_("Quorum (percent of the electorate)"), min_value=0, max_value=100, initial=0
    )
    threshold = forms.ChoiceField(label=_("Needed to carry"), choices=Threshold.choices)
    allow_change = forms.BooleanField(label=_("Voters may change their ballot until the close"), required=False)
    closes_at = forms.DateTimeField(label=_("Voting closes (optional)"), required=False, widget=LocalDateTimeInput())

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meeting is None:  # online, on a topic: nobody is "present"
            self.fields["electorate"].choices = [c for c in ElectorateKind.choices if c[0] != ElectorateKind.PRESENT]
            return
        self.fields["agenda_item"] = forms.ModelChoiceField(label=_("Agenda item"), queryset=meeting.agenda_items.all())
        self.order_fields(["agenda_item"])

    def service_arguments(self):
        data = dict(self.cleaned_data)
        data["options"] = [line for line in data.get("options", "").splitlines() if line.strip()]
        return data
