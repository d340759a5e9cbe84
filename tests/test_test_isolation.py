"""The suite's own promise: a test that flushes the database does not take migrated data from the next."""

import pytest


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_flushes_at_its_end():
    pass


def test_the_next_test_still_finds_migrated_data(django_db_blocker):
    # pytest-django orders tests without the database after transactional ones.
    from django.contrib.auth.models import Group
    from wagtail.models import Locale, Page

    with django_db_blocker.unblock():
        assert Group.objects.filter(name="Editors").exists()
        assert Locale.objects.filter(language_code="en").exists()
        assert Page.objects.filter(depth=1).exists()
        # Content types resolve to the restored rows, not to those the flush recreated.
        from django.contrib.contenttypes.models import ContentType

        assert ContentType.objects.get_for_model(Locale).model_class() is Locale
        assert type(Page.objects.get(depth=1).specific) is Page
