"""Public pages run no inline script: the policy forbids it, and the pages don't need it."""

import re

import pytest

from tests.factories import NeedFactory

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _script_src(response):
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src")).split()[1:]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/needs/",
        "/needs/overview/",
        "/organisations/",
        "/search/?q=路灯",
        "/accounts/login/",
        "/api/docs/",
        "/nope/",
    ],
)
def test_public_pages_allow_scripts_from_our_origin_only(client, home_page, path):
    response = client.get(path)
    sources = _script_src(response)
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources, sources
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group()
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group()


def test_member_and_staff_pages_too(client, people, tree):
    need = NeedFactory(region=tree.grid_a1, submitted_by=people.resident)
    for user, path in [
        (people.resident, "/needs/new/"),
        (people.resident, f"/needs/{need.pk}/"),
        (people.community_staff, "/needs/queue/"),
        (people.community_staff, f"/needs/{need.pk}/"),
        (people.district_staff, "/audit/"),
    ]:
        client.force_login(user)
        response = client.get(path)
        assert response.status_code == 200, path
        assert "'unsafe-inline'" not in _script_src(response)
        assert not INLINE_SCRIPT.search(response.content.decode()), path


def test_the_admins_keep_what_their_scripts_need(client, people):
    client.force_login(people.editor)
    assert "'unsafe-inline'" in _script_src(client.get("/admin/"))
