"""Access for everyone, on the demo district: every page type, as a visitor, a resident and staff would
open it, in zh-hans and English, at desktop width and at 320 px.

- axe-core finds no violation of any impact;
- no page scrolls sideways at 320 px, with normal or large text;
- at 320 px, with normal and with large text, every table keeps its key column in view (stacked rows,
  or a sticky key column: scrolling the table's box to its end must not hide it), and at least 95 % of
  each page's targets are 44 × 44 px;
- on English pages, no Han character outside an element marked lang="zh…" (WCAG 3.1.2), and
  category, region and department names are English;
- the collapsed header takes under a quarter of a 640 px-high phone screen; every control on the
  need form, the work queue and a project page is at least 44 × 44 px on a touch screen;
- the large-text switch enlarges every page and is remembered.
"""

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.utils import translation
from wagtail.models import Page

from marketplace.adoptions.models import Adoption, Bid, BidStatus
from marketplace.gridlogs.models import GridLog
from marketplace.needs.models import Need
from marketplace.projects.models import Project
from marketplace.reports.models import DailyReport
from portal.core.demo import DEMO_PASSWORD
from portal.organisations.models import Organisation, VerificationStatus

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

SCRIPTS = Path(__file__).parent / "scripts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 320, "height": 640}

# Every text node with a Han character whose nearest lang attribute is not Chinese; and the same for the
# attributes people hear or see (alt, title, aria-label, placeholder, a button's value).
HAN_OUTSIDE_CHINESE = (SCRIPTS / "han_outside_chinese.js").read_text()

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# The visible controls (count) and those smaller than 44 × 44 px (small). A checkbox or radio counts with
# its label (the row is the target); links inside a sentence are exempt (WCAG 2.5.8's inline exception),
# as are hidden controls. Links in lists count.
SMALL_TARGETS = (SCRIPTS / "small_targets.js").read_text()
LARGE_TARGETS_SHARE = 0.95

# Tables whose key column (a row's th[scope=row], else its first cell) is out of view as the page opens
# or once the table's box is scrolled to its end.
KEY_COLUMNS = (SCRIPTS / "key_columns.js").read_text()


@dataclass
class Walk:
    """The pages of one language, by who opens them."""

    public: list = field(default_factory=list)
    resident: list = field(default_factory=list)
    staff: list = field(default_factory=list)
    ngo: list = field(default_factory=list)  # ngo3, a member of 绿色家园, whose declaration is a draft


def _page_urls(language):
    """One live page of every Wagtail page type, in the given language's tree."""
    urls = []
    for model_name in (
        "homepage",
        "noticeindexpage",
        "noticepage",
        "newsindexpage",
        "newspage",
        "projectbookindexpage",
        "projectbookpage",
        "eventindexpage",
        "eventpage",
        "standardpage",
        "faqpage",
    ):
        page = (
            Page.objects.live()
            .filter(content_type__model=model_name, locale__language_code=language)
            .order_by("-first_published_at")
            .first()
        )
        assert page is not None, f"the demo has no {model_name} in {language}"
        urls.append(page.get_url())
    assert all(url.startswith("/en/") == (language == "en") for url in urls), urls
    return urls


def _walk(language):
    # CMS pages carry their language in the URL (/en/…); the portal's own views follow the visitor's
    # choice (the language cookie the walk sets), at the same address in both languages.
    with translation.override("zh-hans"):
        return _paths(language)


def _paths(language):
    need = Need.objects.visible_to(None).order_by("-created_at").first()
    project = Project.objects.visible_to(None).order_by("-pk").first()
    ngo = Organisation.objects.filter(verification_status=VerificationStatus.VERIFIED, kind="ngo").first()
    report = DailyReport.objects.order_by("-date").first()
    competition = Bid.objects.filter(status=BidStatus.SUBMITTED).order_by("pk").first().project
    selected = Bid.objects.filter(status=BidStatus.SELECTED).order_by("pk").first()
    claim = Adoption.objects.filter(status="pending").order_by("pk").first()
    grid_log = GridLog.objects.order_by("-pk").first()
    from marketplace.funding.models import DeadlineChoice, Payment

    choice = DeadlineChoice.objects.filter(status="pending", payment__donor__username="resident1").first()
    named = Payment.objects.filter(public_name=True, organisation__isnull=False).first()
    from deliberation.councils.models import Council
    from deliberation.meetings.models import AgendaItem, Meeting
    from deliberation.topics.models import Topic
    from deliberation.votes.models import Vote

    council = Council.objects.filter(topics__isnull=False).order_by("pk").first()
    discussed = Topic.objects.filter(status="queued").order_by("pk").first() or Topic.objects.order_by("pk").first()
    minuted = Meeting.objects.filter(status="minutes_published").order_by("pk").first()
    hearing = Meeting.objects.filter(status="announced").order_by("pk").first()
    item = AgendaItem.objects.filter(meeting=minuted).order_by("order").first()
    closed_vote = Vote.objects.filter(status="closed", ballot="secret").order_by("pk").first()
    open_vote = Vote.objects.filter(status="open").order_by("pk").first()
    from marketplace.calls.models import Declaration, FundingCall

    open_call = FundingCall.objects.get(status="open")
    reviewed_call = FundingCall.objects.get(status__in=["review", "notice"])  # results in public notice
    draft = Declaration.objects.get(status="draft", call=open_call)
    submitted = Declaration.objects.filter(status="submitted", call=open_call).order_by("pk").first()
    public = [
        f"/funding/funders/organisations/{named.organisation_id}/",
        *_page_urls(language),
        "/needs/",
        "/needs/overview/",
        f"{need.get_absolute_url()}",
        f"{project.get_absolute_url()}",
        "/projects/",
        "/projects/?gap=open&sort=closing",
        f"{competition.get_absolute_url()}",
        f"{selected.get_absolute_url()}",
        "/organisations/",
        f"{ngo.get_absolute_url()}",
        "/search/?q=%E7%94%B5%E6%A2%AF",
        "/status/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/no-such-page/",
        "/councils/",
        council.get_absolute_url(),
        "/topics/",
        discussed.get_absolute_url(),
        "/meetings/",
        minuted.get_absolute_url(),
        item.get_absolute_url(),
        closed_vote.get_absolute_url(),
        "/calls/",
        open_call.get_absolute_url(),
    ]
    resident = [
        "/needs/new/",
        "/needs/mine/",
        "/notifications/",
        "/accounts/profile/",
        "/organisations/register/",
        "/adoptions/mine/",
        f"{competition.get_absolute_url()}",
        f"/adoptions/projects/{competition.pk}/claim/volunteer/",
        "/funding/mine/",
        f"{choice.get_absolute_url()}",
        hearing.get_absolute_url(),
        open_vote.get_absolute_url(),
    ]
    staff = [
        "/needs/queue/",
        "/projects/new/",
        f"/projects/{project.pk}/edit/",
        "/needs/enter/",
        "/needs/import/",
        f"{need.get_absolute_url()}",
        "/reports/",
        f"{report.get_absolute_url()}",
        "/grid-logs/",
        f"{grid_log.get_absolute_url()}",
        "/organisations/verification/",
        "/accounts/profile/residences/",
        "/audit/",
        "/adoptions/queue/",
        f"/adoptions/projects/{competition.pk}/bids/",
        f"{claim.get_absolute_url()}",
        f"{selected.get_absolute_url()}",
        "/funding/queue/",
        f"{choice.payment.get_absolute_url()}",
        "/topics/agenda-queue/",
        f"/meetings/{hearing.pk}/registrations/",
        reviewed_call.get_absolute_url(),
        submitted.get_absolute_url(),
        f"/calls/{reviewed_call.slug}/review/",
        reviewed_call.declarations.filter(status="submitted").first().reviews.first().get_absolute_url(),
    ]
    ngo = [
        "/calls/declarations/mine/",
        open_call.get_absolute_url(),
        *(f"/calls/declarations/{draft.pk}/step/{step}/" for step in ("problem", "budget", "documents", "review")),
        draft.get_absolute_url(),
    ]
    return Walk(public, resident, staff, ngo)


def _log_in(page, site, username, language):
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site}/**/accounts/profile/")


def _phone_layout(page, where, large):
    """On a phone: no sideways scroll, tables' key columns in view, at least 95 % of targets 44 px."""
    assert page.evaluate("document.documentElement.classList.contains('large-text')") == large, where
    found = []
    if page.evaluate(SIDEWAYS) > 0:
        found.append(f"{where}: scrolls sideways by {page.evaluate(SIDEWAYS)} px")
    page.evaluate("() => document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
    found += [f"{where}: {problem}" for problem in page.evaluate(KEY_COLUMNS)]
    targets = page.evaluate(SMALL_TARGETS)
    if len(targets["small"]) > targets["count"] * (1 - LARGE_TARGETS_SHARE):
        found.append(f"{where}: {len(targets['small'])} of {targets['count']} targets under 44 px: {targets['small']}")
    return found


# Two halves per language (the public pages; the signed-in ones), so that the two xdist workers share
# the walk evenly with the other journeys.
@pytest.mark.parametrize("half", ["public", "signed-in"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_type_reads_for_everyone(demo_district_committed, page, site, axe_violations, language, half):
    walk = _walk(language)
    problems = {}

    def text_size(large):
        page.context.add_cookies([{"name": "textsize", "value": "large" if large else "", "url": site}])

    def audit(paths):
        for path in paths:
            found = []
            # A phone with large text is the harder case of the phone (more to wrap, bigger targets to place):
            # axe, sideways scroll, key columns and target sizes are checked there, once per page.
            for viewport, large in ((DESKTOP, False), (PHONE, True)):
                text_size(large)
                page.set_viewport_size(viewport)
                response = page.goto(f"{site}{path}")
                expected = 404 if "no-such-page" in path else 200
                if response.status != expected:
                    found.append(f"HTTP {response.status}")
                    break
                where = f"{viewport['width']}px{' large text' if large else ''}"
                found += [f"{where} {v}" for v in axe_violations(page, impacts=None)]
                if viewport is PHONE:
                    found += _phone_layout(page, where, large)
                if language == "en" and viewport is DESKTOP:
                    found += [f"Han outside lang=zh: {text}" for text in page.evaluate(HAN_OUTSIDE_CHINESE)]
            text_size(False)
            if found:
                problems[path] = found

    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    if half == "public":
        audit(walk.public)
    else:
        _log_in(page, site, "resident1", language)
        audit(walk.resident)
        _log_in(page, site, "districtstaff1", language)
        audit(walk.staff)
        _log_in(page, site, "ngo3", language)
        audit(walk.ngo)
    assert problems == {}


def test_english_pages_name_categories_places_and_departments_in_english(demo_district_committed, page, site):
    need = Need.objects.visible_to(None).filter(department__isnull=False).order_by("-created_at").first()
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    page.goto(f"{site}{need.get_absolute_url()}")
    main = page.locator("main").inner_text()
    assert need.category.name_en and need.category.name_en in main
    assert need.department.name_en and need.department.name_en in main
    assert need.region.name_en and need.region.name_en in main
    page.goto(f"{site}/needs/overview/")
    assert page.locator("main table.heatmap th[scope=row]").first.inner_text().isascii()
    switch = page.locator("#language-select option")
    assert sorted(switch.all_inner_texts()) == sorted(["English", "简体中文"])


def test_phones_get_a_small_header_and_large_targets(demo_district_committed, browser, site):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    with translation.override("zh-hans"):
        project_url = Project.objects.visible_to(None).order_by("-pk").first().get_absolute_url()
        competition = Bid.objects.filter(status=BidStatus.SUBMITTED).order_by("pk").first().project
    for language in ("zh-hans", "en"):
        prefix = "" if language == "zh-hans" else "/en"
        page.goto(f"{site}{prefix}/")
        header = page.locator("header.site-header").bounding_box()
        assert header["height"] < 640 / 4, f"{language}: header {header['height']} px high"
        toggle = page.locator(".menu-toggle")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert not page.locator("#site-search-q").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert page.locator("#site-search-q").is_visible()
        assert page.locator("#language-select").is_visible()

    _log_in(page, site, "resident1", "zh-hans")
    problems = {}
    open_all = "() => document.querySelectorAll('main details').forEach((d) => { d.open = true; })"
    for language, path in (
        ("zh-hans", "/needs/new/"),
        ("zh-hans", project_url),
        ("en", project_url),
        ("en", competition.get_absolute_url()),  # the claim forms, each opened
    ):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
        page.goto(f"{site}{path}")
        page.evaluate(open_all)
        page.locator(".menu-toggle").click()  # the header's controls count too
        small = page.evaluate(SMALL_TARGETS)["small"]
        if small:
            problems[f"{language} {path}"] = small
    _log_in(page, site, "districtstaff1", "zh-hans")
    for path in ("/needs/queue/", f"/adoptions/projects/{competition.pk}/bids/"):
        page.goto(f"{site}{path}")
        page.evaluate(open_all)
        page.locator(".menu-toggle").click()
        small = page.evaluate(SMALL_TARGETS)["small"]
        if small:
            problems[path] = small
    context.close()
    assert problems == {}


def test_large_text_enlarges_every_page_and_is_remembered(demo_district_committed, page, site):
    size = "() => parseFloat(getComputedStyle(document.querySelector('main p, main li, main td')).fontSize)"
    page.set_viewport_size(DESKTOP)
    page.goto(f"{site}/")
    normal = page.evaluate(size)
    page.get_by_role("button", name="大字").click()
    page.wait_for_function("document.documentElement.classList.contains('large-text')")
    assert page.evaluate(size) >= normal * 1.2
    assert page.get_by_role("button", name="大字").get_attribute("aria-pressed") == "true"
    for path in ("/notices/", "/needs/", "/organisations/", "/accounts/login/"):
        page.goto(f"{site}{path}")
        assert page.evaluate("document.documentElement.classList.contains('large-text')"), path
    page.goto(f"{site}/")  # served again, from the page cache
    assert page.evaluate(size) >= normal * 1.2
    # Someone else, on another device, gets the normal size from the same cached page.
    other = page.context.browser.new_context()
    other_page = other.new_page()
    other_page.goto(f"{site}/")
    assert not other_page.evaluate("document.documentElement.classList.contains('large-text')")
    other.close()
    page.get_by_role("button", name="大字").click()
    page.wait_for_function("!document.documentElement.classList.contains('large-text')")
    page.goto(f"{site}/needs/")
    assert not page.evaluate("document.documentElement.classList.contains('large-text')")
