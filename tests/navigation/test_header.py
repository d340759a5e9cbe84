"""The header leads to every area, and the account menu to everything that is the reader's own."""

import re

import pytest
from django.test import Client

from portal.core import navigation

pytestmark = pytest.mark.django_db


def _header(html):
    return html[html.index('<header class="site-header">') : html.index("</header>")]


def _links(html):
    return set(re.findall(r'href="([^"#?]+)"', html))


def test_every_area_is_in_the_header_with_its_pages(demo_district):
    for prefix, names in [
        ("/en", ["Decide together", "Projects", "Needs", "News"]),
        ("", ["议事协商", "公益项目", "反映诉求", "资讯"]),
    ]:
        header = _header(Client().get(f"{prefix}/").content.decode())
        for name in names:
            assert f">{name}</button>" in header, name
        links = _links(header)
        for path in ["/councils/", "/topics/", "/meetings/", "/votes/", "/needs/", "/projects/", "/organisations/"]:
            assert path in links, path
        # The CMS sections join their areas: notices, news and events under news, project books under projects.
        news = header[header.index('id="nav-area-news"') :]
        news = news[: news.index("</ul>")]
        assert len(_links(news)) >= 3, news


def test_the_account_menu_lists_what_is_mine(demo_district):
    from portal.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="resident1"))
    header = _header(client.get("/en/").content.decode())
    account = header[header.index('id="account-menu"') :]
    for path in [
        "/needs/mine/",
        "/adoptions/mine/",
        "/funding/mine/",
        "/meetings/mine/",
        "/votes/mine/",
        "/notifications/",
    ]:
        assert any(link.endswith(path) for link in _links(account)), path


def test_anonymous_readers_get_no_account_links(demo_district):
    header = _header(Client().get("/en/").content.decode())
    assert "/funding/mine/" not in header


def test_a_link_to_an_unknown_area_is_refused():
    with pytest.raises(ValueError):
        navigation.area_link("shopping", "Shop", "needs:need_list")


def test_my_registrations_lists_only_mine(demo_district):
    from deliberation.meetings.models import Registration
    from portal.accounts.models import User

    resident = User.objects.get(username="resident1")
    client = Client()
    client.force_login(resident)
    page = client.get("/en/meetings/mine/").content.decode()
    mine = Registration.objects.filter(user=resident).select_related("meeting")
    others = Registration.objects.exclude(user=resident).exclude(meeting__in=[r.meeting for r in mine])
    for registration in mine:
        assert f"/meetings/registrations/{registration.pk}/" in page
    for registration in others[:20]:
        assert f"/meetings/registrations/{registration.pk}/" not in page
    assert Client().get("/en/meetings/mine/").status_code == 302
