from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.choices import MarkedSelect, NamedChoiceField
from portal.core.models import Category
from portal.core.notes import NoteForm
from portal.core.phones import normalise_phone
from portal.core.text import LONG_TEXT, NOTE_TEXT, ReasonableDate
from portal.core.uploads import IMAGE, check_upload
from portal.core.widgets import LocalDateTimeInput
from portal.organisations.models import Organisation
from portal.regions.models import Region, RegionLevel, ancestor_path

from .models import MAX_PHOTOS, Channel

# A deadline set by hand: from today to two years ahead.
DEADLINE_RANGE = ReasonableDate(days_ahead=731)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    widget = MultipleFileInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS})
        for f in files:
            try:
                check_upload(f, IMAGE)
            except forms.ValidationError as exc:
                raise forms.ValidationError(f"{f.name}: {' '.join(exc.messages)}", code=exc.code) from exc
        return files


class RegionChoiceIterator(forms.models.ModelChoiceIterator):
    """The empty choice, then one <optgroup> per street holding its communities, each followed by its grids."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        regions = list(self.queryset)
        streets = {street.path: street for street in Region.objects.filter(level=RegionLevel.STREET)}
        groups = {}
        for region in regions:
            groups.setdefault(ancestor_path(region.path, RegionLevel.STREET), []).append(self.choice(region))
        for path, choices in groups.items():
            street = streets.get(path)
            yield (street.display_name if street else "—", choices)

    def __len__(self):
        return self.queryset.count() + (1 if self.field.empty_label is not None else 0)


class RegionField(forms.ModelChoiceField):
    """Communities and their grids, grouped by street, for a resident to say where."""

    iterator = RegionChoiceIterator
    widget = MarkedSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("empty_label", _("Choose your community or grid"))
        super().__init__(
            queryset=Region.objects.filter(level__in=[RegionLevel.COMMUNITY, RegionLevel.GRID]).order_by("path"),
            **kwargs,
        )

    def label_from_instance(self, obj):
        return obj.display_name if obj.level == RegionLevel.COMMUNITY else f"\u3000{obj.display_name}"


class NeedForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120, help_text=_("In a few words: what is the problem?"))
    description = forms.CharField(
        label=_("Description"),
        max_length=LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where exactly, since when, who is affected."),
    )
    category = NamedChoiceField(label=_("Category"), queryset=Category.objects.all())
    region = RegionField(label=_("Where"), help_text=_("Your community, or the grid within it if you know it."))
    contact_name = forms.CharField(label=_("Contact name"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        help_text=_("Only staff handling your need see your contact details."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    show_name_publicly = forms.BooleanField(label=_("Show my name on the public page"), required=False)
    photos = PhotosField(label=_("Photos"), required=False)

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data["contact_phone"])


class AddToNeedForm(forms.Form):
    """What the resident adds to their own earlier need: the need form's title and description."""

    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    description = forms.CharField(label=_("Description"), max_length=LONG_TEXT)


class StaffNeedForm(NeedForm):
    """Staff and grid workers entering a need on a resident's behalf."""

    channel = forms.ChoiceField(label=_("Channel"), choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    external_ref = forms.CharField(label=_("Ticket number"), max_length=64, required=False)
    field_order = ["channel", "external_ref", "title", "description", "category", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_name_publicly"].label = _("The resident agrees to show their name publicly")


class DispatchForm(forms.Form):
    department = NamedChoiceField(label=_("Department"), queryset=Organisation.objects.departments().order_by("name"))
    deadline = forms.DateTimeField(
        label=_("Answer by"),
        required=False,
        help_text=_("Leave empty to use the service level for this category."),
        validators=[DEADLINE_RANGE],
        widget=LocalDateTimeInput(),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReferForm(NoteForm):
    council = NamedChoiceField(
        label=_("Council"),
        queryset=None,
        required=False,
        empty_label=_("The nearest council"),
        help_text=_("Leave empty for the council nearest to the need."),
    )

    def __init__(self, *args, **kwargs):
        from deliberation.councils.models import Council

        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.filter(is_active=True)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer to the resident"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 4})
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Is it solved?"),
        coerce=int,
        choices=[
            (5, _("5 — fully solved")),
            (4, _("4 — mostly solved")),
            (3, _("3 — partly solved")),
            (2, _("2 — hardly solved")),
            (1, _("1 — not solved")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=NOTE_TEXT, widget=forms.Textarea(attrs={"rows": 2})
    )


class MergeForm(forms.Form):
    title = forms.CharField(label=_("Project title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )


class QueueFilterForm(forms.Form):
    # Words of the title, description, place or ticket number, found through the search layer (staff only).
    q = forms.CharField(
        label=_("Search words"), max_length=100, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    region = NamedChoiceField(label=_("Region"), queryset=Region.objects.none(), required=False)
    category = NamedChoiceField(label=_("Category"), queryset=Category.objects.all(), required=False)
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", "—"), *Channel.choices])

    def __init__(self, *args, regions=(), **kwargs):
        from .models import NeedStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All open")), *NeedStatus.choices]
        from portal.regions.models import subtree_q

        # District-wide staff pick a street; others their streets' communities too (a bounded list).
        levels = (
            [RegionLevel.STREET] if any(r.depth == 1 for r in regions) else [RegionLevel.STREET, RegionLevel.COMMUNITY]
        )
        self.fields["region"].queryset = (
            Region.objects.filter(subtree_q(regions, field="")).filter(level__in=levels).order_by("path")
        )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Staff member"), queryset=None, widget=MarkedSelect)

    def __init__(self, *args, need=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Bound forms (bulk action) accept any staff member; the service checks each need's region.
        self.fields["assignee"].queryset = assignable_staff(need.region if need else None, regions)


def assignable_staff(region=None, regions=None):
    """Grid workers and community/street staff whose region holds `region` (or lies within `regions`)."""
    from django.contrib.auth import get_user_model

    from portal.accounts.models import Role

    roles = [Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF]
    users = get_user_model().objects.filter(role_assignments__role__in=roles)
    if region is not None:
        # Staff whose region is this one or an ancestor: their path is a prefix of the need's.
        prefixes = [region.path[:i] for i in range(Region.steplen, len(region.path) + 1, Region.steplen)]
        users = users.filter(role_assignments__region__path__in=prefixes)
    elif regions:
        from portal.regions.models import subtree_q

        users = users.filter(subtree_q(regions, field="role_assignments__region"))
    return users.distinct().order_by("display_name", "username")
