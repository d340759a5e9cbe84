from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django import forms
        from django.urls import register_converter

        from .converters import IdConverter

        register_converter(IdConverter, "id")

        # Every write of shown data renews the version the anonymous copies are kept under.
        # Every text field of every form (ours, allauth's, Wagtail's) refuses control characters,
        # as Django's own CharField refuses NUL. Fields with validators of their own kind
        # (email, URL, slug) keep theirs: those already refuse any control character.
        # Every model serializer shows a MoneyField as yuan in an exact decimal string.
        from rest_framework.serializers import ModelSerializer

        from . import writes  # noqa: F401  (connects its connection_created receiver)
        from .money import MoneyField, MoneySerializerField
        from .text import reject_control_characters

        ModelSerializer.serializer_field_mapping[MoneyField] = MoneySerializerField

        if reject_control_characters not in forms.CharField.default_validators:
            forms.CharField.default_validators = [*forms.CharField.default_validators, reject_control_characters]
