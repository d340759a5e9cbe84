"""Issue 20, forms that know the person: the need form presets the resident's verified community and
contact details; the similar-needs step marks the resident's own earlier need and offers to add to it;
the public lists filter by names (a <select>), not slugs typed into a text box."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.needs import services
from marketplace.needs.models import EventKind, Need
from portal.accounts.models import Role, RoleAssignment
from tests.factories import UserFactory, category, grant

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """The portal's views answer in the visitor's chosen language (the switcher's cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def client_for(client_for, settings):
    """The shared login helper, in English (logging in or out starts a fresh cookie jar)."""

    def login(user):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return login


@pytest.fixture
def env():
    return category(slug="lighting", name="照明")


def _form(tree, env, **extra):
    return {
        "title": "楼道灯坏了",
        "description": "二单元楼道灯不亮，老人上下楼危险",
        "category": env.pk,
        "region": tree.grid_a1.pk,
        **extra,
    }


def _selected_option(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="(\d+)"[^>]*\bselected\b', select)


# --- (1) the form presets what the platform knows of the resident ----------------------------


def test_the_need_form_presets_the_most_recently_verified_community_and_the_contact(client_for, tree):
    resident = UserFactory(username="preset", display_name="王阿姨", phone="13900001111")
    grant(resident, Role.RESIDENT, tree.community_a1)
    grant(resident, Role.RESIDENT, tree.community_b1)
    grant(resident, Role.RESIDENT, tree.community_a2, verified=False)  # a claim staff have not verified
    RoleAssignment.objects.filter(user=resident, region=tree.community_a1).update(
        verified_at=timezone.now() - timedelta(days=30)
    )
    html = client_for(resident).get("/needs/new/").content.decode()
    assert _selected_option(html, "region") == [str(tree.community_b1.pk)]
    assert re.search(r'name="contact_name" value="王阿姨"', html)
    assert re.search(r'name="contact_phone" value="13900001111"', html)


def test_an_account_without_a_verified_residence_chooses_its_community(client_for, tree):
    person = UserFactory(username="newcomer", display_name="", phone="")
    grant(person, Role.RESIDENT, tree.community_a1, verified=False)
    html = client_for(person).get("/needs/new/").content.decode()
    assert _selected_option(html, "region") == []


def test_the_presets_stay_editable(client_for, people, tree, env):
    response = client_for(people.resident).post(
        "/needs/new/", _form(tree, env, region=tree.grid_a1.pk, contact_name="李先生", contact_phone="13800002222")
    )
    need = Need.objects.get()
    assert response.status_code == 302
    assert (need.region, need.contact_name, need.contact_phone) == (tree.grid_a1, "李先生", "13800002222")


# --- (2) the resident's own earlier need -----------------------------------------------------


@pytest.fixture
def earlier(people, tree, env):
    return services.submit_need(
        by=people.resident, title="楼道灯坏了很久", description="二单元楼道灯不亮", category=env, region=tree.grid_a1
    )


def test_the_similar_step_marks_the_residents_own_earlier_need_and_offers_to_add_to_it(
    client_for, people, tree, env, earlier
):
    response = client_for(people.resident).post("/needs/new/", _form(tree, env))
    html = response.content.decode()
    assert response.status_code == 200 and Need.objects.count() == 1
    assert "Your own earlier need" in html
    assert timezone.localtime(earlier.created_at).strftime("%Y-%m-%d") in html and "Submitted" in html
    assert f'formaction="/needs/{earlier.pk}/add/"' in html
    assert "Add this to my earlier need" in html
    # Filing anyway stays possible, and says what it does.
    assert "second need" in html


def test_the_live_fragment_marks_the_own_need_too(client_for, people, tree, env, earlier):
    fragment = client_for(people.resident).get(
        "/needs/similar/", {"title": "楼道灯", "category": env.pk, "region": tree.grid_a1.pk}
    )
    html = fragment.content.decode()
    assert "Your own earlier need" in html and f'formaction="/needs/{earlier.pk}/add/"' in html
    # A neighbour sees the need, not as theirs and without the offer.
    other = client_for(people.plain).get(
        "/needs/similar/", {"title": "楼道灯", "category": env.pk, "region": tree.grid_a1.pk}
    )
    assert earlier.title in other.content.decode() and "Your own earlier need" not in other.content.decode()
    assert "/add/" not in other.content.decode()


def test_adding_to_the_earlier_need_files_no_new_need(client_for, people, tree, env, earlier):
    client = client_for(people.resident)
    response = client.post(f"/needs/{earlier.pk}/add/", _form(tree, env, description="三单元的灯也坏了"))
    assert response.status_code == 302 and response["Location"] == f"/needs/{earlier.pk}/"
    assert Need.objects.count() == 1
    note = earlier.events.get(kind=EventKind.NOTE)
    assert note.actor == people.resident and "三单元的灯也坏了" in note.note and "楼道灯坏了" in note.note
    page = client.get(f"/needs/{earlier.pk}/").content.decode()
    assert "三单元的灯也坏了" in page


def test_nobody_else_adds_to_a_residents_need(client_for, people, tree, env, earlier):
    for user in (people.plain, people.community_staff):
        response = client_for(user).post(f"/needs/{earlier.pk}/add/", _form(tree, env))
        assert response.status_code in (403, 404)
    assert client_for(None).post(f"/needs/{earlier.pk}/add/", _form(tree, env)).status_code == 302  # to log in
    assert not earlier.events.filter(kind=EventKind.NOTE).exists() and Need.objects.count() == 1


def test_the_api_adds_to_the_own_need_only(api_for, people, earlier):
    body = {"title": "补充", "description": "晚上十点以后全黑"}
    assert api_for(people.plain).post(f"/api/v1/needs/{earlier.pk}/add/", body, format="json").status_code in (
        403,
        404,
    )
    response = api_for(people.resident).post(f"/api/v1/needs/{earlier.pk}/add/", body, format="json")
    assert response.status_code == 200
    assert earlier.events.get(kind=EventKind.NOTE).note.endswith("晚上十点以后全黑")


def test_a_rejected_need_is_not_added_to(people, earlier):
    from django.core.exceptions import PermissionDenied

    from portal.core.errors import DomainError

    services.reject_need(by=people.community_staff, need=earlier, reason="重复")
    with pytest.raises((DomainError, PermissionDenied)):
        services.add_to_own_need(by=people.resident, need=earlier, title="", description="还是不亮")


# --- (3) filters by name ---------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/needs/", "/projects/"])
def test_public_list_filters_are_choices_by_name(client, tree, env, url):
    html = client.get(url).content.decode()
    category_select = re.search(r'<select[^>]*name="category"[^>]*>(.*?)</select>', html, re.S)
    assert category_select, "the category filter is a <select>"
    assert re.search(rf'<option value="{env.slug}"[^>]*>\s*{env.name_en}\s*</option>', category_select.group(1))
    region_select = re.search(r'<select[^>]*name="region"[^>]*>(.*?)</select>', html, re.S)
    assert region_select and "甲街道" in region_select.group(1)
    assert not re.search(r'<input[^>]*type="(text|search)"[^>]*name="(category|region|status)"', html)


def test_a_category_link_by_slug_still_filters(client, people, tree, env, earlier):
    other = category(slug="roads", name="道路")
    assert earlier.title in client.get("/needs/", {"category": env.slug}).content.decode()
    assert earlier.title not in client.get("/needs/", {"category": other.slug}).content.decode()


def test_the_organisation_list_filters_by_kind_names(client):
    html = client.get("/organisations/").content.decode()
    assert re.search(r'<a href="\?kind=ngo"[^>]*>[^<]*NGO[^<]*</a>', html, re.I)
    assert not re.search(r"<input[^>]*type=\"(text|search)\"", html.split("<main", 1)[-1])
