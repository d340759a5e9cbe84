"""English content beside Chinese: the locale, kept in sync with zh-hans by wagtail-localize."""

from django.conf import settings
from django.db import migrations


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    LocaleSynchronization = apps.get_model("wagtail_localize", "LocaleSynchronization")
    source, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    english, _created = Locale.objects.get_or_create(language_code="en")
    LocaleSynchronization.objects.get_or_create(locale=english, defaults={"sync_from": source})


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0002_portal_page_types"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(add_english, migrations.RunPython.noop)]
