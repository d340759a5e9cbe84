"""Form choices of categories, regions, organisations and people, as the English pages need them.

`NamedChoiceField` / `NamedMultipleChoiceField` label each record by its name in the active
language (`display_name`, portal/core/languages.py). Their widgets (`MarkedSelect`,
`MarkedSelectMultiple`) put `lang="zh-hans"` on an option whose label is Chinese on a page in
another language (a region without an English name, a person's name): an <option> holds text
only, so the mark goes on the option itself.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .ids import BoundedPkMixin
from .languages import CHINESE, has_han, is_chinese_active


class MarkedOptionsMixin:
    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if not is_chinese_active() and has_han(label):
            option["attrs"] = {**option["attrs"], "lang": CHINESE}
        return option


class MarkedSelect(MarkedOptionsMixin, forms.Select):
    pass


class LanguageSelect(forms.Select):
    """The languages, each option named in itself and marked with its language (简体中文, English)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if value:
            option["attrs"] = {**option["attrs"], "lang": value}
        return option


class MarkedSelectMultiple(MarkedOptionsMixin, forms.SelectMultiple):
    pass


def display_label(obj):
    return getattr(obj, "display_name", None) or str(obj)


class NamedChoiceField(BoundedPkMixin, forms.ModelChoiceField):
    widget = MarkedSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Choose one"))  # not Django's "---------", which screen readers spell out
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return display_label(obj)


class NamedMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = MarkedSelectMultiple

    def label_from_instance(self, obj):
        return display_label(obj)
