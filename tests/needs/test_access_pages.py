"""The need pages as everyone reads them: unique ids and labels, the error summary, the similar-needs step,
deadlines as people read them, and buttons offered only to those who may use them."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from marketplace.needs import services
from portal.core.templatetags.money import deadline, overdue_by
from tests.factories import category

pytestmark = pytest.mark.django_db


@pytest.fixture
def env():
    return category()


def _ids(html):
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def _submit(people, tree, env, **extra):
    return services.submit_need(
        by=people.resident, title="井盖缺失", description="危险", category=env, region=tree.grid_a1, **extra
    )


def test_the_staff_view_of_a_need_has_unique_ids_and_every_field_labelled(client_for, people, tree, env):
    need = _submit(people, tree, env)
    html = client_for(people.community_staff).get(need.get_absolute_url()).content.decode()
    assert [i for i, n in _ids(html).items() if n > 1] == []
    fields = re.findall(r'<(?:input|select|textarea)\b[^>]*\sid="([^"]+)"', html)
    unlabelled = [i for i in fields if f'for="{i}"' not in html and "csrf" not in i]
    assert fields and unlabelled == []
    assert 'id="id_note"' not in html  # each action's note carries its action's prefix


def test_form_errors_come_with_a_summary_that_links_to_each_field(client_for, people, tree, env):
    response = client_for(people.resident).post("/needs/new/", {"title": "", "description": "很危险"})
    html = response.content.decode()
    tag = re.search(r'<div class="error-summary"[^>]*>', html).group()
    assert "data-focus-on-load" in tag and 'tabindex="-1"' in tag  # site.js moves focus there
    summary = html[html.index(tag) :]
    assert 'href="#id_title"' in summary and 'href="#id_category"' in summary and 'href="#id_region"' in summary
    assert "很危险" in html  # nothing typed is lost


def test_the_similar_step_puts_focus_on_its_heading(client_for, people, tree, env):
    services.submit_need(by=people.plain, title="井盖丢了", description="危险", category=env, region=tree.grid_a1)
    form = {"title": "井盖缺失", "description": "危险", "category": env.pk, "region": tree.grid_a1.pk}
    html = client_for(people.resident).post("/needs/new/", form).content.decode()
    assert re.search(r'<h2 id="similar-heading" tabindex="-1" data-focus-on-load>', html)


def test_staff_are_not_offered_the_residents_me_too_button(client_for, people, tree, env):
    need = services.submit_need(
        by=people.plain, title="井盖丢了", description="危险", category=env, region=tree.grid_a1
    )
    staff_html = client_for(people.community_staff).get(need.get_absolute_url()).content.decode()
    assert f"/needs/{need.pk}/support/" not in staff_html
    resident_html = client_for(people.resident).get(need.get_absolute_url()).content.decode()
    assert f"/needs/{need.pk}/support/" in resident_html  # a verified resident of the place may join


def test_deadlines_read_as_people_read_them():
    now = timezone.localtime()
    with translation.override("en"):
        # Always with the year, in the district's local time (a date without one was read as this year's).
        soon = now + timedelta(hours=3)
        assert deadline(soon) == soon.strftime("%Y-%m-%d %H:%M")
        assert deadline(timezone.now() + timedelta(hours=3)) == soon.strftime("%Y-%m-%d %H:%M")
        assert str(now.year + 1) in deadline(now.replace(month=1, day=15) + timedelta(days=366))
        assert overdue_by(now - timedelta(days=3, hours=1)) == "Overdue by 3 days"
        assert overdue_by(now + timedelta(days=1)) == ""
    with translation.override("zh-hans"):
        assert overdue_by(now - timedelta(days=3, hours=1)) == "已超期 3 天"


def test_the_similar_list_offers_me_too_only_to_residents_who_may_join(client_for, people, tree, env):
    other = services.submit_need(
        by=people.plain, title="路灯坏了不亮", description="很黑", category=env, region=tree.grid_a1
    )
    query = {"title": "路灯不亮", "category": env.pk, "region": tree.grid_a1.pk}
    join = f"/needs/{other.pk}/support/"
    for_resident = client_for(people.resident).get("/needs/similar/", query).content.decode()
    for_staff = client_for(people.community_staff).get("/needs/similar/", query).content.decode()
    assert other.title in for_resident and join in for_resident
    assert other.title in for_staff and join not in for_staff


def test_a_field_with_an_error_keeps_its_ids_unique(client_for, people):
    html = client_for(people.resident).post("/needs/new/", {"title": ""}).content.decode()
    assert [i for i, n in _ids(html).items() if n > 1] == []
