"""The English site: names in English, people's Chinese marked as Chinese, one wording for accounts."""

import re

import pytest
from django.template import engines
from django.utils import translation

from marketplace.needs import services
from marketplace.needs.models import NeedEvent, NeedStatus
from marketplace.needs.timeline import display_note
from portal.regions.models import Region
from tests.factories import NeedFactory, OrganisationFactory, category

pytestmark = pytest.mark.django_db

ENGLISH = {"django_language": "en"}


def render(source, **context):
    return engines["django"].from_string(source).render(context)


@pytest.fixture
def names(tree):
    """English names for street A, its community and a category; street B keeps only its Chinese name."""
    Region.objects.filter(pk=tree.street_a.pk).update(name_en="Jia Subdistrict")
    Region.objects.filter(pk=tree.community_a1.pk).update(name_en="Jiayi Community")
    Region.objects.filter(pk=tree.grid_a1.pk).update(name_en="Jiayi Grid 1")
    env = category()
    env.name_en = "Environment"
    env.save()
    department = OrganisationFactory(kind="department", region=tree.district, name="测试区城市管理局")
    department.name_en = "Test District Urban Management Bureau"
    department.save()
    return env, department


def test_display_names_follow_the_active_language_and_fall_back_to_chinese(tree, names):
    env, department = names
    street_a, street_b = Region.objects.get(pk=tree.street_a.pk), Region.objects.get(pk=tree.street_b.pk)
    with translation.override("en"):
        assert (street_a.display_name, env.display_name) == ("Jia Subdistrict", "Environment")
        assert department.display_name == "Test District Urban Management Bureau"
        assert street_b.display_name == "乙街道"  # no English name: the Chinese one
    with translation.override("zh-hans"):
        assert (street_a.display_name, env.display_name, department.display_name) == (
            "甲街道",
            "环境整治",
            "测试区城市管理局",
        )


def test_written_marks_chinese_only_on_pages_in_another_language():
    source = "{{ text|written }}|<p{{ text|written_lang }}>"
    with translation.override("en"):
        assert render(source, text="路灯坏了<b>") == '<span lang="zh-hans">路灯坏了</span>&lt;b&gt;|<p lang="zh-hans">'
        assert render(source, text="Street lamp") == "Street lamp|<p>"
        # Only the Chinese of an English sentence is marked: the English stays English.
        assert render("{{ text|written }}", text="Your need “3号楼路灯坏了” was accepted") == (
            'Your need “<span lang="zh-hans">3号楼路灯坏了</span>” was accepted'
        )
        assert render("{{ text|written }}", text=None) == ""
    with translation.override("zh-hans"):
        assert render(source, text="路灯坏了<b>") == "路灯坏了&lt;b&gt;|<p>"


def test_the_need_page_in_english_names_places_categories_and_departments_in_english(client, people, tree, names):
    env, department = names
    need = services.submit_need(
        by=people.resident, title="楼道灯坏了", description="二单元楼道灯不亮", category=env, region=tree.grid_a1
    )
    services.accept_need(by=people.community_staff, need=need)
    services.dispatch_need(by=people.community_staff, need=need, department=department)
    client.cookies.load(ENGLISH)
    html = client.get(need.get_absolute_url()).content.decode()
    assert "Environment" in html and "Jiayi Grid 1" in html and "Test District Urban Management Bureau" in html
    assert '<h1><span lang="zh-hans">楼道灯坏了</span></h1>' in html
    assert '<p lang="zh-hans">二单元楼道灯不亮</p>' in html
    # The timeline names the channel in words, never by its code.
    assert ">web<" not in html and "Web" in html

    client.cookies.load({"django_language": "zh-hans"})
    html = client.get(need.get_absolute_url()).content.decode()
    assert (
        "环境整治" in html and "甲一第1网格" in html and "测试区城市管理局" in html and 'lang="zh-hans">楼' not in html
    )


def test_timeline_notes_are_shown_in_the_readers_language(tree, names):
    env, department = names
    need = NeedFactory(region=tree.grid_a1, department=department, status=NeedStatus.DISPATCHED)
    submitted = NeedEvent(need=need, to_status=NeedStatus.SUBMITTED, note="grid_patrol")
    old_submitted = NeedEvent(need=need, to_status=NeedStatus.SUBMITTED, note="网格巡查")  # stored as a label
    dispatched = NeedEvent(need=need, to_status=NeedStatus.DISPATCHED, note="测试区城市管理局")
    overdue = NeedEvent(need=need, kind="overdue", note="已超过办理时限。")
    escalated = NeedEvent(need=need, kind="escalated", note="已向甲街道发出督办单。")
    written = NeedEvent(need=need, to_status=NeedStatus.CLOSED, note="居民说修好了")
    with translation.override("en"):
        assert display_note(submitted, need) == display_note(old_submitted, need) == "Grid patrol"
        assert display_note(dispatched, need) == "Test District Urban Management Bureau"
        assert display_note(overdue, need) == "Deadline passed."
        assert display_note(escalated, need) == "Supervision order to Jia Subdistrict."
        assert display_note(written, need) == "居民说修好了"  # a person's words stay as written
    with translation.override("zh-hans"):
        assert display_note(submitted, need) == "网格巡查"


def test_lists_heat_map_and_organisations_show_english_names(client, people, tree, names):
    env, department = names
    NeedFactory(region=tree.grid_a1, category=env, status=NeedStatus.ACCEPTED)
    client.cookies.load(ENGLISH)
    needs = client.get("/needs/").content.decode()
    assert "Environment" in needs and "Jiayi Grid 1" in needs and 'lang="zh-hans">乙街道</option>' in needs
    overview = client.get("/needs/overview/").content.decode()
    assert "Jia Subdistrict" in overview and "Environment" in overview
    organisations = client.get("/organisations/").content.decode()
    assert "Test District Urban Management Bureau" in organisations
    assert '<span lang="zh-hans">甲街道社工中心</span>' in organisations  # no English name: marked as Chinese
    page = client.get(department.get_absolute_url()).content.decode()
    assert (
        "<h1>Test District Urban Management Bureau</h1>" in page
        and '<p class="muted" lang="zh-hans">测试区城市管理局' in page
    )


def test_the_api_gives_english_names_beside_the_chinese_ones(api_for, people, tree, names):
    regions = api_for(people.resident).get("/api/v1/regions/", {"level": "street"}).json()
    rows = regions["results"] if isinstance(regions, dict) else regions
    assert {"name": "甲街道", "name_en": "Jia Subdistrict"}.items() <= next(
        r for r in rows if r["code"] == "D01"
    ).items()
    departments = api_for(people.community_staff).get("/api/v1/departments/").json()
    rows = departments["results"] if isinstance(departments, dict) else departments
    env, department = names
    assert next(r for r in rows if r["id"] == department.pk)["name_en"] == "Test District Urban Management Bureau"


def test_the_english_404_page_leads_to_the_english_home(client, home_page):
    from wagtail.models import Locale
    from wagtail_localize.synctree import synchronize_tree

    english = Locale.objects.get(language_code="en")
    synchronize_tree(Locale.get_default(), english)
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404 and 'class="button" href="/en/"' in response.content.decode()
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'class="button" href="/"' in response.content.decode()


def test_the_language_switch_names_each_language_in_itself(client):
    for language in ("en", "zh-hans"):
        client.cookies.load({"django_language": language})
        html = client.get("/accounts/login/").content.decode()
        assert '<option value="zh-hans" lang="zh-hans"' in html and ">简体中文</option>" in html
        assert ">English</option>" in html and "英语" not in html


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/login/code/"]
)
def test_the_account_pages_say_log_in_and_sign_up(client, path):
    client.cookies.load(ENGLISH)
    html = client.get(path).content.decode()
    for wrong in ("Sign In", "Signup", "Sign Up", "Sign in", "sign in", "Login:", "Sign-In", "sign-in", "Remember Me"):
        assert wrong not in html, (path, wrong)
    if path == "/accounts/login/":
        assert "Username or email" in html and "Log in" in html and "Sign up" in html


def test_the_chinese_login_field_reads_username_or_email(client):
    client.cookies.load({"django_language": "zh-hans"})
    html = client.get("/accounts/login/").content.decode()
    assert "用户名或邮箱" in html and "登录:" not in html and "登录：" not in html.split('name="login"')[0][-200:]


def test_a_view_address_with_the_english_prefix_leads_to_the_view_in_english(client, home_page):
    response = client.get("/en/needs/?page=2")
    assert response.status_code == 302 and response["Location"] == "/needs/?page=2"
    assert response.cookies["django_language"].value == "en"
    assert "Needs" in client.get("/needs/").content.decode()
    assert client.get("/en/no-such-page/").status_code == 404  # a CMS address stays a CMS 404


def test_the_profile_names_each_language_in_itself(client, people):
    client.force_login(people.resident)
    html = client.get("/accounts/profile/").content.decode()
    assert '<option value="zh-hans" lang="zh-hans"' in html and '<option value="en" lang="en"' in html


def test_a_form_holding_chinese_text_marks_it_on_an_english_page(client_for, people, tree):
    from marketplace.projects import services as projects

    project = projects.create_project(by=None, title="甲一社区助浴", category=category(), region=tree.community_a1)
    client = client_for(people.community_staff)
    client.cookies["django_language"] = "en"
    html = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert re.search(r'<input[^>]*name="title"[^>]*lang="zh-hans"|<input[^>]*lang="zh-hans"[^>]*name="title"', html)
