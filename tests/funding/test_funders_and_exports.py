"""Funders' public pages (only those who agreed to be named), void receipts, and staff CSV exports."""

import csv
import io

import pytest

from marketplace.funding import deadlines, intents, refunds
from marketplace.funding.models import DeadlineChoice, Payment, Receipt
from marketplace.projects.models import Project
from portal.accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


def _gift(people, project, fen, who, **pledge):
    payment = intents.pledge(by=who, project=project, amount=fen, **pledge)
    return intents.confirm_offline(by=people.community_staff, payment=payment, reference="转账", received_on=None)


@pytest.fixture
def givers(people, project, tree):
    """王秀英 gives under her name to two projects; 匿名 (a plain user) gives without; 甲公司 gives under its name."""
    named = UserFactory(username="wangxiuying", display_name="王秀英")
    quiet = UserFactory(username="quietdonor", display_name="不愿具名的李先生")
    second = published_project(tree.community_a1, target_yuan=500, title="社区微型消防站")
    _gift(people, project, 20_000, named, public_name=True)
    _gift(people, second, 5_000, named, public_name=True)
    _gift(people, project, 7_000, named)  # this one without her name: not on her page
    _gift(people, project, 30_000, quiet)
    _gift(people, project, 10_000, people.donor, organisation=people.company, public_name=True)
    return named, quiet, second


def test_a_named_person_has_a_public_page_with_totals_from_the_ledger(people, project, givers, client):
    named, _quiet, second = givers
    page = client.get(f"/funding/funders/people/{named.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王秀英" in text and project.title in text and second.title in text
    assert "¥200.00" in text and "¥50.00" in text and "¥270.00" not in text  # her unnamed gift is not added
    project_page = client.get(project.get_absolute_url()).content.decode()
    assert f"/funding/funders/people/{named.pk}/" in project_page
    assert f"/funding/funders/organisations/{people.company.pk}/" in project_page


def test_an_organisation_named_on_its_gifts_has_a_page(people, project, givers, client):
    page = client.get(f"/funding/funders/organisations/{people.company.pk}/")
    assert page.status_code == 200 and "甲公司" in page.content.decode() and "¥100.00" in page.content.decode()
    # The member who gave for it has no personal page for that gift.
    assert client.get(f"/funding/funders/people/{people.donor.pk}/").status_code == 404


def test_nobody_who_did_not_agree_appears_anywhere_publicly(people, project, givers, client, api_for):
    _named, quiet, _second = givers
    assert client.get(f"/funding/funders/people/{quiet.pk}/").status_code == 404
    assert client.get(f"/funding/funders/organisations/{people.ngo.pk}/").status_code == 404
    public = [
        client.get(project.get_absolute_url()).content.decode(),
        client.get("/projects/").content.decode(),
        api_for(None).get(f"/api/v1/ledger/?project={project.pk}").content.decode(),
        api_for(None).get(f"/api/v1/projects/{project.pk}/").content.decode(),
    ]
    for text in public:
        assert "不愿具名的李先生" not in text and "quietdonor" not in text


def test_a_fully_refunded_gift_drops_from_the_funders_page(people, project, givers, client):
    named, _quiet, second = givers
    gift = Payment.objects.get(donor=named, project=second)
    refunds.refund_gift(by=people.community_staff, payment=gift, amount=5_000, note="捐错了项目")
    text = client.get(f"/funding/funders/people/{named.pk}/").content.decode()
    assert second.title not in text and project.title in text


def test_a_full_refund_voids_the_receipt_and_draws_its_pdf_again(people, project, client_for):
    gift = _gift(people, project, 30_000, people.resident)
    key = gift.receipt.files_key
    refunds.refund_gift(by=people.community_staff, payment=gift, amount=10_000, note="部分退回")
    gift.receipt.refresh_from_db()
    assert not gift.receipt.is_void
    refunds.refund_gift(by=people.community_staff, payment=gift, amount=20_000, note="全部退回")
    receipt = Receipt.objects.get(pk=gift.receipt.pk)
    assert receipt.is_void and receipt.number == 1 and receipt.files_key != key
    # The next gift takes the next number: the void one stays used.
    assert _gift(people, project, 1_000, people.plain).receipt.number == 2
    assert "void" in client_for(people.resident).get(gift.get_absolute_url()).content.decode()
    assert "void" in client_for(people.resident).get("/funding/mine/").content.decode()


def test_the_void_receipt_pdf_says_so(people, project):
    from marketplace.funding.renderers import receipt_html

    gift = _gift(people, project, 30_000, people.resident)
    refunds.refund_gift(by=people.community_staff, payment=gift, amount=30_000, note="全部退回")
    html = receipt_html(Receipt.objects.get(pk=gift.receipt.pk))
    assert "VOID" in html or "作废" in html


def _rows(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_staff_download_a_projects_ledger_as_csv(people, project, client_for, tree):
    _gift(people, project, 30_000, people.resident)
    other = published_project(tree.community_a1, target_yuan=2000, title="社区书屋添置图书")
    Project.objects.filter(pk=project.pk).update(funding_deadline="2000-01-01T00:00Z")
    deadlines.open_deadline_choices()
    deadlines.choose_for_gift(by=people.resident, choice=DeadlineChoice.objects.get(), option="move", target=other)
    response = client_for(people.community_staff).get(f"/funding/projects/{project.pk}/ledger.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[1][3] == "¥300.00" and rows[2][4] == "¥300.00"  # in, then moved out
    assert rows[-1][3:5] == ["", ""] or rows[-1][3:5] == ["¥0.00", ""]
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize("who", ["anonymous", "plain", "resident", "street_staff_b", "ngo_member"])
def test_the_ledger_csv_is_refused_to_others(people, project, client_for, who):
    response = client_for(getattr(people, who)).get(f"/funding/projects/{project.pk}/ledger.csv")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


def test_gifts_csv_is_scoped_to_the_staff_area_and_safe_from_formulas(people, project, tree, client_for):
    tricky = UserFactory(username="tricky", display_name="=HYPERLINK(1)")
    _gift(people, project, 30_000, tricky)
    far = published_project(tree.community_b1, target_yuan=1000, title="乙社区的项目")
    staff_b = grant(UserFactory(username="staffb2"), Role.STREET_STAFF, tree.street_b)
    intents.confirm_offline(
        by=staff_b,
        payment=intents.pledge(by=people.plain, project=far, amount=5_000),
        reference="+cmd",
        received_on=None,
    )
    response = client_for(people.community_staff).get("/funding/gifts.csv")
    assert response.status_code == 200
    rows = _rows(response)
    assert len(rows) == 2 and rows[1][2] == "'=HYPERLINK(1)" and rows[1][8] == "¥300.00"
    rows_b = _rows(client_for(staff_b).get("/funding/gifts.csv"))
    assert len(rows_b) == 2 and rows_b[1][14] == "'+cmd"
    district = _rows(client_for(people.district_staff).get("/funding/gifts.csv"))
    assert len(district) == 3


@pytest.mark.parametrize("who", ["anonymous", "plain", "resident", "ngo_member", "donor"])
def test_the_gifts_csv_is_refused_to_non_staff(people, client_for, who):
    response = client_for(getattr(people, who)).get("/funding/gifts.csv")
    assert response.status_code in (302, 403)
