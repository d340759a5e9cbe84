"""The print edition of a project book: a PDF with a cover, contents, one page per project and QR codes."""

import datetime
import re
import shutil
import subprocess
from unittest import mock

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext
from wagtail.models import Locale

from marketplace.funding import ledger
from marketplace.funding.models import EntryKind
from marketplace.projects.models import Project, ProjectStatus
from portal.core.models import RenderedFile
from portal.pages.models import ProjectBookEntry, ProjectBookIndexPage, ProjectBookPage
from tests.factories import NeedFactory, category

pytestmark = pytest.mark.django_db

BOOK_TITLE = "甲街道社会项目推介书"
SUMMARY = "为独居老人每周送餐两次，由社区志愿者和社工站共同组织。"
LONG = "社区居民共同参与的项目说明，\n\n" * 60  # past every length (and number of lines) the page shortens


def _tool(tool, pdf_bytes, tmp_path, *args):
    if not shutil.which(tool):
        pytest.skip(f"{tool} needs Debian's poppler-utils")
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf_bytes)
    command = [tool, *args, str(path)] + (["-"] if tool == "pdftotext" else [])
    return subprocess.run(command, capture_output=True, text=True, check=True, timeout=60).stdout


def _pdf(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    return content


def _publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def projects(tree):
    environment, elderly = category(), category("elderly", "养老服务")
    make = Project.objects.create
    meals = make(
        title="独居老人助餐", summary=SUMMARY, category=elderly, region=tree.community_a1,
        status=ProjectStatus.PUBLISHED, budget=5_000_000, amount_raised=1_234_500,
        beneficiaries="甲一社区独居老人", beneficiary_count=40,
    )  # fmt: skip
    lights = make(
        title="小区路灯改造", summary="更换老旧路灯。", category=environment, region=tree.community_a2,
        status=ProjectStatus.FUNDED, budget=8_000_000, amount_raised=8_000_000,
    )  # fmt: skip
    # Everything at its longest: the page shortens it to stay one page.
    longest = make(
        title="长" * 160, summary=LONG, category=environment, region=tree.community_b1,
        status=ProjectStatus.PUBLISHED, budget=999_999_999_900, beneficiaries="居" * 200,
        beneficiary_count=123456,
    )  # fmt: skip
    for n in range(12):
        NeedFactory(title=f"路灯不亮{n}" + "很" * 110, region=tree.community_a2, project=longest)
    NeedFactory(title="老人吃饭难", region=tree.community_a1, project=meals)
    return [meals, lights, longest]


def _book(parent, projects, *, title=BOOK_TITLE, edition="2026年第1期", day=datetime.date(2026, 3, 1), scope=None):
    book = parent.add_child(
        instance=ProjectBookPage(title=title, edition=edition, edition_date=day, scope_region=scope, live=False)
    )
    for order, project in enumerate(projects):
        note = "编" * 200 if order == 2 else "请优先支持。"
        ProjectBookEntry.objects.create(page=book, project=project, sort_order=order, note=note)
    return book


@pytest.fixture
def book_index(home_page):
    index = home_page.add_child(instance=ProjectBookIndexPage(title="社会项目推介书", slug="books"))
    return _publish(index)


@pytest.fixture
def book(book_index, projects, tree):
    return _publish(_book(book_index, projects, scope=tree.street_a))


def _pdf_url(book):
    return book.url + "pdf/"


def test_the_pdf_has_a_cover_contents_and_one_page_per_project(client, book, projects, tmp_path):
    pdf = _pdf(client.get(_pdf_url(book)))
    text = _tool("pdftotext", pdf, tmp_path, "-layout")
    with translation.override("zh-hans"):
        contents = gettext("Contents")
    assert BOOK_TITLE in text and "2026年第1期" in text and "甲街道" in text and contents in text
    assert SUMMARY in text and "独居老人助餐" in text and "小区路灯改造" in text
    assert "共治" in text and "已发布" in text and "Published" not in text  # Chinese labels
    assert "请优先支持。" in text and "¥12,345.00" in text and "¥50,000.00" in text and "(24%)" in text
    assert "老人吃饭难" in text and "甲一社区独居老人" in text
    assert f"{settings.SITE_URL.rstrip('/')}/projects/{projects[0].pk}/" in text

    # Cover, contents, then exactly one page per project, the longest one included.
    pages = int(re.search(r"Pages:\s+(\d+)", _tool("pdfinfo", pdf, tmp_path)).group(1))
    assert pages == 2 + len(projects)
    for number, project in enumerate(projects, start=3):
        page_text = _tool("pdftotext", pdf, tmp_path, "-f", str(number), "-l", str(number))
        assert project.title[:20] in page_text, number
    # The contents give those page numbers, after each title's dot leader.
    contents_page = text.split("\f")[1]
    assert re.findall(r"\.{3,}\s*(\d+)\s*$", contents_page, re.M) == ["3", "4", "5"]
    longest = _tool("pdftotext", pdf, tmp_path, "-f", "5", "-l", "5")
    assert "路灯不亮0" in longest and "路灯不亮9" in longest and "路灯不亮10" not in longest  # ten of them
    with translation.override("zh-hans"):
        total = ngettext("Built from %(n)s resident need", "Built from %(n)s residents' needs", 12) % {"n": 12}
    assert total in longest and "编" * 20 in longest  # the total number of needs, the editor's note

    # The QR codes are the only images; the Chinese font is embedded.
    images = _tool("pdfimages", pdf, tmp_path, "-list").splitlines()[2:]
    assert len(images) == len(projects), images
    fonts = _tool("pdffonts", pdf, tmp_path).splitlines()[2:]
    assert fonts and any("WenQuanYi" in line for line in fonts), fonts
    assert all(" yes yes " in line for line in fonts), fonts  # embedded, subset


def test_the_pdf_is_rendered_once_per_state_of_the_book(client, book, projects, tmp_path):
    _pdf(client.get(_pdf_url(book)))
    assert RenderedFile.objects.filter(kind="book_pdf").count() == 1
    with mock.patch("portal.pages.renderers.render_book_pdf") as render:
        _pdf(client.get(_pdf_url(book)))
    render.assert_not_called()
    assert RenderedFile.objects.filter(kind="book_pdf").count() == 1

    before = book.print_fingerprint()
    ledger.append(kind=EntryKind.GIFT, amount=4_567_800 - 1_234_500, project=projects[0])
    assert book.print_fingerprint() != before
    text = _tool("pdftotext", _pdf(client.get(_pdf_url(book))), tmp_path, "-layout")
    assert "¥45,678.00" in text and "¥12,345.00" not in text
    prints = RenderedFile.objects.filter(kind="book_pdf")
    assert prints.count() == 1 and prints.get().key == book.print_key()  # the old one is gone


def test_while_the_task_runs_a_page_says_so(client, book):
    with mock.patch("portal.core.tasks.render_file_task.delay") as delay:
        response = client.get(_pdf_url(book))
        client.get(_pdf_url(book))
    assert response.status_code == 202 and response["Refresh"]
    delay.assert_called_once()  # not again while the first one is being worked on
    html = response.content.decode()
    assert BOOK_TITLE in html and f'href="{book.url}"' in html


def test_a_draft_book_has_no_pdf(client, book_index, projects, tree):
    draft = _book(book_index, projects, title="未发布的推介书", scope=tree.street_a)
    draft.save_revision()
    with mock.patch("portal.pages.renderers.render_book_pdf") as render:
        response = client.get(f"{book_index.url}{draft.slug}/pdf/")
    assert response.status_code == 404
    render.assert_not_called()
    _publish(draft)  # the same address, once published
    with mock.patch("portal.core.tasks.render_file_task.delay") as delay:
        assert client.get(f"{book_index.url}{draft.slug}/pdf/").status_code == 202
    delay.assert_called_once()


def test_changes_since_the_previous_edition(client, book_index, book, projects, tree, tmp_path):
    projects[1].status = ProjectStatus.COMPLETED
    projects[1].save()
    withdrawn = Project.objects.create(
        title="旧楼加装电梯", category=category(), region=tree.community_a1, status=ProjectStatus.WITHDRAWN
    )
    ProjectBookEntry.objects.create(page=book, project=withdrawn, sort_order=9)
    _publish(book)
    second = _book(
        book_index, [projects[0]], title="第二期推介书", edition="2026年第2期", day=datetime.date(2026, 6, 1),
        scope=tree.street_a,
    )  # fmt: skip
    new = _publish(second)
    new_project = Project.objects.create(
        title="儿童托管", category=category(), region=tree.community_a1, status=ProjectStatus.PUBLISHED
    )
    ProjectBookEntry.objects.create(page=new, project=new_project, sort_order=1)
    new = _publish(new)
    text = _tool("pdftotext", _pdf(client.get(_pdf_url(new))), tmp_path, "-layout")
    with translation.override("zh-hans"):
        heading = gettext("Since the previous edition")
    changes = text.split("\f")[1].split(heading, 1)[1]  # on the contents page, after the contents
    assert BOOK_TITLE in changes  # the previous edition
    for title in ("儿童托管", "小区路灯改造", "旧楼加装电梯", "长长长"):  # added, funded, withdrawn, dropped
        assert title in changes, title
    assert "独居老人助餐" not in changes  # carried over unchanged


def test_the_english_edition_has_english_labels(client, book, tmp_path):
    english = Locale.objects.get(language_code="en")
    translated = book.copy_for_translation(english, copy_parents=True)
    _publish(translated)
    for page in translated.get_ancestors().filter(depth__gt=1).specific():
        if not page.live:
            _publish(page)
    response = client.get(_pdf_url(translated))
    assert translated.url.startswith("/en/")
    text = _tool("pdftotext", _pdf(response), tmp_path, "-layout")
    assert "Contents" in text and "Budget" in text and "Gongzhi" in text and "独居老人助餐" in text
    assert "Published" in text and "已发布" not in text and "40 people" in text and "¥12,345.00" in text
