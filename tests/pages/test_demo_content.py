"""The demo district's CMS content: every section live, notices in every state, two book editions, events, English.

Loading the demo takes a while, so one test loads it once and checks each part in turn.
"""

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Locale, Page

from marketplace.projects.models import FUNDED_STATUSES, Project, ProjectStatus
from portal.pages.models import (
    EventKind,
    EventPage,
    FAQPage,
    HomePage,
    NewsPage,
    NoticeIndexPage,
    NoticePage,
    ProjectBookPage,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SECTIONS = {
    "notices": "pages.NoticeIndexPage",
    "news": "pages.NewsIndexPage",
    "project-books": "pages.ProjectBookIndexPage",
    "events": "pages.EventIndexPage",
    "about": "pages.StandardPage",
    "faq": "pages.FAQPage",
}


def load_demo():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_fills_the_cms_once(demo_district, db, client):
    zh, en = Locale.get_default(), Locale.objects.get(language_code="en")
    every_section_is_live_under_the_home_page_and_in_the_menu(zh)
    notices_come_in_every_state(zh, client)
    two_book_editions_show_what_changed_and_the_projects_are_funded(zh)
    events_include_an_upcoming_fair_and_hearing_and_a_past_meeting(zh, client)
    english_translations_share_the_chinese_pages_keys_and_paths(zh, en, client)

    # Loading again adds no pages and leaves the projects alone.
    pages = Page.objects.count()
    projects = dict(Project.objects.values_list("pk", "updated_at"))
    load_demo()
    assert Page.objects.count() == pages
    assert dict(Project.objects.values_list("pk", "updated_at")) == projects


def every_section_is_live_under_the_home_page_and_in_the_menu(zh):
    home = HomePage.objects.get(locale=zh)
    sections = {p.slug: p for p in home.get_children().specific()}
    assert set(SECTIONS) <= set(sections)
    for slug, model in SECTIONS.items():
        page = sections[slug]
        assert page._meta.label == model and page.live and page.show_in_menus, slug
    assert len(sections["about"].body) >= 4
    assert len(FAQPage.objects.get(locale=zh).questions) >= 6
    assert NewsPage.objects.filter(locale=zh, live=True).count() == 3


def notices_come_in_every_state(zh, client):
    notices = NoticePage.objects.filter(locale=zh)
    assert notices.count() >= 12
    assert notices.filter(pinned=True, live=True).count() == 2
    assert len(set(notices.values_list("category", flat=True))) >= 4
    assert notices.exclude(region=None).values("region").distinct().count() >= 5
    # Spread over the last two months, not all published this second.
    dates = sorted(notices.exclude(first_published_at=None).values_list("first_published_at", flat=True))
    assert (timezone.now() - dates[0]).days >= 45 and (timezone.now() - dates[-1]).days <= 7

    draft = notices.get(first_published_at=None)
    assert not draft.live and draft.has_unpublished_changes
    expired = notices.get(expire_at__lt=timezone.now())
    assert expired.live  # still published in the CMS, but hidden by the portal
    listed = set(NoticeIndexPage.objects.get(locale=zh).notices().values_list("pk", flat=True))
    assert expired.pk not in listed and draft.pk not in listed and len(listed) >= 11
    attached = notices.exclude(attachments=None).get()
    assert attached.attachments.get().document.file.read().startswith(b"%PDF-")

    assert client.get(expired.url).status_code == 404
    assert client.get(f"/notices/{draft.slug}/").status_code == 404
    assert client.get(attached.url).status_code == 200


def two_book_editions_show_what_changed_and_the_projects_are_funded(zh):
    previous, latest = ProjectBookPage.objects.filter(locale=zh).order_by("edition_date")
    assert (previous.edition, latest.edition) == ("2026年第2期", "2026年第3期")
    assert previous.live and latest.live and previous.entries.exists() and latest.entries.exists()
    changes = latest.changes_since_previous()
    assert changes["previous"].pk == previous.pk
    assert changes["added"] and changes["funded"]
    previous_ids = set(previous.entries.values_list("project", flat=True))
    latest_ids = set(latest.entries.values_list("project", flat=True))
    withdrawn = Project.objects.filter(status=ProjectStatus.WITHDRAWN, pk__in=previous_ids)
    assert withdrawn.exists() and [p.pk for p in changes["withdrawn"]] == sorted(withdrawn.values_list("pk", flat=True))
    assert not latest_ids & set(withdrawn.values_list("pk", flat=True))
    assert previous_ids & latest_ids
    # An edition lists what was open to claim when it came out: published by then, funded (if at all) since.
    for book in (previous, latest):
        for p in Project.objects.filter(pk__in=book.entries.values("project")):
            published, funded = (timezone.localtime(t).date() if t else None for t in (p.published_at, p.funded_at))
            assert published <= book.edition_date, (book.edition, p.title)
            assert funded is None or funded > book.edition_date, (book.edition, p.title)
    assert not Project.objects.filter(pk__in=latest_ids, status=ProjectStatus.WITHDRAWN).exists()

    projects = Project.objects.all()
    assert all(20_000_00 <= p.budget <= 300_000_00 and p.budget % 100_00 == 0 for p in projects)  # fen, whole hundreds
    assert all(p.beneficiaries and p.beneficiary_count for p in projects)
    for project in projects.filter(status__in=FUNDED_STATUSES):
        assert project.amount_raised == project.budget and project.funded_at
    partly = projects.filter(status=ProjectStatus.PUBLISHED, amount_raised__gt=0)
    assert partly.exists() and all(p.amount_raised < p.budget for p in partly)
    # The quarter's approved projects in the public notice are real projects, under way.
    notice = NoticePage.objects.get(locale=zh, slug="q3-projects-public-notice")
    approved = projects.filter(title__in=[t for t in projects.values_list("title", flat=True) if t in notice.body])
    assert approved.count() >= 5 and set(approved.values_list("status", flat=True)) <= set(FUNDED_STATUSES)


def events_include_an_upcoming_fair_and_hearing_and_a_past_meeting(zh, client):
    events = EventPage.objects.live().filter(locale=zh)
    now = timezone.now()
    fair = events.get(kind=EventKind.FAIR, starts_at__gt=now)
    assert events.filter(kind=EventKind.MEETING, starts_at__gt=now).exists()
    assert events.filter(kind=EventKind.MEETING, ends_at__lt=now).exists()
    assert fair.ends_at > fair.starts_at
    assert fair.title in client.get("/events/").content.decode()


def english_translations_share_the_chinese_pages_keys_and_paths(zh, en, client):
    home = HomePage.objects.get(locale=zh)
    english_home = home.get_translation(en)
    assert english_home.translation_key == home.translation_key and english_home.alias_of_id is None
    assert english_home.live and english_home.title != home.title

    # Every Chinese page has an English counterpart (a translation or, failing one, an alias) at the same path.
    for page in Page.objects.filter(locale=zh, depth__gt=2):
        english = page.get_translation(en)
        assert english.slug == page.slug and english.live == page.live, page.slug
    translated = NoticePage.objects.filter(locale=en, alias_of=None)
    assert translated.count() >= 3
    for notice in translated:
        source = notice.get_translation(zh)
        assert notice.translation_key == source.translation_key and notice.title != source.title
        assert notice.first_published_at == source.first_published_at
    for slug in ("notices", "about", "faq"):
        page = Page.objects.get(locale=en, slug=slug, depth=3)
        assert page.alias_of_id is None and page.live
    book = ProjectBookPage.objects.get(locale=zh, edition="2026年第3期").get_translation(en)
    assert book.alias_of_id is None and book.entries.count() == book.get_translation(zh).entries.count()

    assert client.get(f"/en/notices/{translated[0].slug}/").status_code == 200
    assert translated[0].title in client.get("/en/notices/").content.decode()
