"""Markup kept per process: rendered once per key and language, renewed only by a committed change."""

import pytest
from django.db import transaction
from django.utils import translation

from portal.core.kept import KeptMarkup, ProcessCopies
from portal.core.models import Category

KEPT = KeptMarkup("test-categories", sources={"core.Category": ("name", "name_en")})
KEPT.connect()


def _render_counting(calls):
    def render():
        calls.append(1)
        return f"<p>{Category.objects.count()} {translation.get_language()}</p>"

    return render


@pytest.mark.django_db
def test_rendered_once_per_key_and_language_until_a_source_changes():
    calls = []
    with translation.override("zh-hans"):
        assert KEPT.get("list", _render_counting(calls)) == "<p>0 zh-hans</p>"
        assert KEPT.get("list", _render_counting(calls)) == "<p>0 zh-hans</p>"
    with translation.override("en"):
        assert KEPT.get("list", _render_counting(calls)) == "<p>0 en</p>"
    assert len(calls) == 2
    Category.objects.create(slug="new", name="新类别")
    with translation.override("en"):
        assert KEPT.get("list", _render_counting(calls)) == "<p>1 en</p>"


@pytest.mark.django_db
def test_a_rolled_back_change_or_an_unrelated_field_renews_nothing():
    version = KEPT.version()
    with pytest.raises(RuntimeError), transaction.atomic():
        Category.objects.create(slug="gone", name="回滚的类别")
        raise RuntimeError
    assert KEPT.version() == version
    made = Category.objects.create(slug="kept", name="类别")
    assert KEPT.version() != version
    version = KEPT.version()
    made.save(update_fields=["slug"])
    assert KEPT.version() == version
    made.delete()
    assert KEPT.version() != version


def test_the_version_is_read_once_per_request(rf):
    from unittest import mock

    request = rf.get("/")
    with mock.patch("portal.core.kept.cache.get", return_value="v1") as get:
        KEPT.version(request), KEPT.version(request)
    assert get.call_count == 1


def test_process_copies_are_bounded():
    copies = ProcessCopies(3)
    for n in range(7):
        copies.put(n, n)
    assert len(copies) <= 3 and copies[6] == 6
