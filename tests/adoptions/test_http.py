"""The claim and bid pages and the API: who gets what, and that no NGO sees another's bid before the selection."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from marketplace.adoptions import services
from marketplace.adoptions.models import Adoption, AdoptionStatus, Bid, BidOpinion, BidStatus
from portal.notifications.models import Notification
from tests.factories.adoptions import bid_payload
from tests.factories.projects import published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(tree):
    return published_project(tree.community_a1, title="甲一社区长者助餐")


@pytest.fixture
def bids(people, project):
    mine = services.submit_bid(
        by=people.ngo_member, project=project, **bid_payload(people.ngo, plan="甲方案：中央厨房配送")
    )
    theirs = services.submit_bid(
        by=people.other_ngo_member, project=project, **bid_payload(people.other_ngo, plan="乙方案：邻里互助做饭")
    )
    return mine, theirs


# --- pages ----------------------------------------------------------------


def test_the_project_page_shows_the_claim_forms_of_the_modes_it_wants_when_logged_in(client_for, people, tree):
    project = published_project(tree.community_a1, wants_in_kind=False)
    page = client_for(people.resident).get(project.get_absolute_url()).content.decode()
    assert f'action="/adoptions/projects/{project.pk}/claim/fund/"' in page
    assert f'action="/adoptions/projects/{project.pk}/claim/volunteer/"' in page
    assert "/claim/in_kind/" not in page


def test_the_project_page_asks_anonymous_visitors_to_log_in(client_for, project):
    page = client_for(None).get(project.get_absolute_url()).content.decode()
    assert "/accounts/login/" in page and "/claim/fund/" not in page


def test_a_resident_claims_from_the_page_and_sees_it_under_my_claims(client_for, people, project):
    client = client_for(people.resident)
    response = client.post(
        f"/adoptions/projects/{project.pk}/claim/volunteer/", {"volunteer-hours": "6", "volunteer-skills": "包饺子"}
    )
    claim = Adoption.objects.get()
    assert response.status_code == 302 and response["Location"] == claim.get_absolute_url()
    assert (claim.mode, claim.hours, claim.claimant) == ("volunteer", 6, people.resident)
    assert "甲一社区长者助餐" in client.get("/adoptions/mine/").content.decode()


def test_a_fund_claim_reads_yuan_as_people_type_them(client_for, people, project):
    client_for(people.donor).post(
        f"/adoptions/projects/{project.pk}/claim/fund/",
        {"fund-amount": "¥5,000.50", "fund-organisation": people.company.pk},
    )
    claim = Adoption.objects.get()
    assert claim.amount == 500_050 and claim.organisation == people.company


def test_a_claim_form_with_errors_says_what_is_wrong_and_saves_nothing(client_for, people, project):
    response = client_for(people.resident).post(f"/adoptions/projects/{project.pk}/claim/fund/", {"fund-amount": ""})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Adoption.objects.exists()


def test_a_claim_on_a_project_that_does_not_want_that_mode_is_refused_with_a_message(client_for, people, tree):
    project = published_project(tree.community_a1, wants_volunteers=False)
    response = client_for(people.resident).post(
        f"/adoptions/projects/{project.pk}/claim/volunteer/", {"volunteer-hours": "3"}
    )
    with translation.override(settings.LANGUAGE_CODE):
        message = str(services.MODE_NOT_WANTED["volunteer"])
    assert response.status_code == 200 and escape(message) in response.content.decode()
    assert not Adoption.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in_before_claiming(client_for, project):
    response = client_for(None).post(f"/adoptions/projects/{project.pk}/claim/fund/", {"fund-amount": "100"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Adoption.objects.exists()


def test_staff_see_pending_claims_of_their_area_in_the_queue_and_decline_with_a_reason(client_for, people, project):
    claim = services.claim_project(by=people.resident, project=project, mode="fund", amount=10_000)
    client = client_for(people.community_staff)
    assert claim.get_absolute_url() in client.get("/adoptions/queue/").content.decode()
    assert claim.get_absolute_url() not in client_for(people.street_staff_b).get("/adoptions/queue/").content.decode()
    client = client_for(people.community_staff)
    client.post(f"/adoptions/{claim.pk}/decline/", {"decline-note": ""})
    claim.refresh_from_db()
    assert claim.status == AdoptionStatus.PENDING  # no reason, no decision
    client.post(f"/adoptions/{claim.pk}/decline/", {"decline-note": "本项目资金已由区财政配套"})
    claim.refresh_from_db()
    assert claim.status == AdoptionStatus.DECLINED
    assert Notification.objects.get(recipient=people.resident).body == "本项目资金已由区财政配套"


def test_the_claim_page_is_the_claimants_and_staffs_only(client_for, people, project):
    claim = services.claim_project(by=people.resident, project=project, mode="fund", amount=10_000)
    assert client_for(people.resident).get(claim.get_absolute_url()).status_code == 200
    assert client_for(people.street_staff).get(claim.get_absolute_url()).status_code == 200
    assert client_for(people.donor).get(claim.get_absolute_url()).status_code == 403
    assert client_for(None).get(claim.get_absolute_url()).status_code == 404


def test_an_ngo_member_bids_through_the_form_with_an_attachment(client_for, people, project):
    pdf = SimpleUploadedFile("往年评估报告.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    response = client_for(people.ngo_member).post(
        f"/adoptions/projects/{project.pk}/bid/",
        {
            "organisation": people.ngo.pk,
            "plan": "中央厨房每日配送",
            "price": "75,000",
            "timeline": "一年",
            "team": "社工三名",
            "track_record": "",
            "attachments": pdf,
        },
    )
    bid = Bid.objects.get()
    assert response.status_code == 302 and bid.price == 7_500_000 and bid.attachments.count() == 1


def test_the_bid_form_refuses_a_file_that_is_not_a_document(client_for, people, project):
    exe = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00\x03", content_type="application/pdf")
    response = client_for(people.ngo_member).post(
        f"/adoptions/projects/{project.pk}/bid/",
        {"organisation": people.ngo.pk, "plan": "p", "price": "1", "timeline": "t", "team": "t", "attachments": exe},
    )
    assert response.status_code == 200 and not Bid.objects.exists()


def test_the_bid_form_is_for_ngo_members_only(client_for, people, project):
    assert client_for(people.donor).get(f"/adoptions/projects/{project.pk}/bid/").status_code == 403
    assert client_for(people.resident).get(f"/adoptions/projects/{project.pk}/bid/").status_code == 403


def test_an_ngo_never_sees_another_ngos_bid_before_the_selection(client_for, api_for, people, bids):
    mine, theirs = bids
    client = client_for(people.ngo_member)
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert "乙方案" not in client.get("/adoptions/mine/").content.decode()
    assert client.get(f"/adoptions/projects/{mine.project_id}/bids/").status_code == 403
    assert client.get(f"/adoptions/bids/{theirs.pk}/attachments/1/").status_code == 404
    api = api_for(people.ngo_member)
    listed = [b["id"] for b in api.get("/api/v1/bids/").json()["results"]]
    assert listed == [mine.pk]
    assert api.get(f"/api/v1/bids/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/bids/?project={mine.project_id}").json()["results"][0]["id"] == mine.pk
    assert api_for(None).get("/api/v1/bids/").json()["results"] == []


def test_after_the_selection_the_selected_bids_summary_is_public_and_the_others_stay_private(
    client_for, api_for, people, bids
):
    mine, theirs = bids
    services.select_bid(by=people.street_staff, bid=theirs, reason="互助做饭更可持续")
    page = client_for(None).get(theirs.get_absolute_url()).content.decode()
    assert "乙方案" in page and "社工2名" not in page  # the summary, not the team
    assert client_for(None).get(mine.get_absolute_url()).status_code == 404
    public = api_for(people.resident).get(f"/api/v1/bids/{theirs.pk}/").json()
    assert public["plan"].startswith("乙方案") and public["private"] is None and "team" not in public
    own = api_for(people.other_ngo_member).get(f"/api/v1/bids/{theirs.pk}/").json()
    assert own["private"]["team"] == "社工2名，厨师1名"
    assert api_for(people.resident).get(f"/api/v1/bids/{mine.pk}/").status_code == 404
    assert "乙街道志愿者协会" in client_for(None).get(mine.project.get_absolute_url()).content.decode()


def test_staff_compare_bids_side_by_side_record_an_opinion_and_select_one(client_for, people, project, bids):
    mine, theirs = bids
    client = client_for(people.community_staff)
    page = client.get(f"/adoptions/projects/{project.pk}/bids/").content.decode()
    assert "甲方案" in page and "乙方案" in page and page.count('name="select-note"') == 2
    assert f'id="id_bid{mine.pk}_select-note"' in page and f'id="id_bid{theirs.pk}_select-note"' in page
    client.post(
        f"/adoptions/projects/{project.pk}/opinions/",
        {
            "opinion-representative_name": "王建国",
            "opinion-representative_role": "居民代表",
            "opinion-bid": mine.pk,
            "opinion-opinion": "中央厨房卫生有保障",
        },
    )
    assert BidOpinion.objects.get().bid == mine
    client.post(f"/adoptions/bids/{mine.pk}/select/", {"select-note": "卫生与价格综合最优"})
    mine.refresh_from_db()
    project.refresh_from_db()
    assert mine.status == BidStatus.SELECTED and project.implementer == people.ngo
    page = client.get(f"/adoptions/projects/{project.pk}/bids/").content.decode()
    assert "中央厨房卫生有保障" in page and 'name="select-note"' not in page


def test_the_comparison_page_is_refused_to_staff_of_another_area_and_to_anonymous(client_for, people, project):
    assert client_for(people.street_staff_b).get(f"/adoptions/projects/{project.pk}/bids/").status_code == 403
    response = client_for(None).get(f"/adoptions/projects/{project.pk}/bids/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- API ------------------------------------------------------------------


def test_the_api_takes_a_claim_and_lists_it_to_its_claimant_and_the_staff_only(api_for, people, project):
    response = api_for(people.resident).post(
        "/api/v1/adoptions/", {"project": project.pk, "mode": "fund", "amount": "1,200.50"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["amount"] == "1200.50" and body["status"] == "pending"
    assert [c["id"] for c in api_for(people.resident).get("/api/v1/adoptions/").json()["results"]] == [body["id"]]
    assert [c["id"] for c in api_for(people.community_staff).get("/api/v1/adoptions/").json()["results"]] == [
        body["id"]
    ]
    assert api_for(people.donor).get("/api/v1/adoptions/").json()["results"] == []
    assert api_for(people.donor).get(f"/api/v1/adoptions/{body['id']}/").status_code == 404


def test_the_api_refuses_claims_it_cannot_take(api_for, people, tree, project):
    assert api_for(None).post(
        "/api/v1/adoptions/", {"project": project.pk, "mode": "fund", "amount": 1}
    ).status_code in (
        401,
        403,
    )
    wrong_org = api_for(people.ngo_member).post(
        "/api/v1/adoptions/",
        {"project": project.pk, "mode": "fund", "amount": 1, "organisation": people.other_ngo.pk},
        format="json",
    )
    assert wrong_org.status_code == 403
    run = api_for(people.ngo_member).post("/api/v1/adoptions/", {"project": project.pk, "mode": "run"}, format="json")
    assert run.status_code == 400
    unwanted = published_project(tree.community_a1, wants_funds=False)
    response = api_for(people.resident).post(
        "/api/v1/adoptions/", {"project": unwanted.pk, "mode": "fund", "amount": 1}, format="json"
    )
    assert response.status_code == 400 and response.json()["code"] == "mode_not_wanted"
    assert not Adoption.objects.exists()


def test_the_api_approves_and_declines_for_staff_of_the_region_only(api_for, people, project):
    one = services.claim_project(by=people.resident, project=project, mode="fund", amount=10_000)
    two = services.claim_project(by=people.resident, project=project, mode="volunteer", hours=2)
    assert api_for(people.street_staff_b).post(f"/api/v1/adoptions/{one.pk}/approve/", {}).status_code in (403, 404)
    assert api_for(people.resident).post(f"/api/v1/adoptions/{one.pk}/approve/", {}).status_code == 403
    approved = api_for(people.street_staff).post(f"/api/v1/adoptions/{one.pk}/approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    no_reason = api_for(people.street_staff).post(f"/api/v1/adoptions/{two.pk}/decline/", {}, format="json")
    assert no_reason.status_code == 400
    declined = api_for(people.street_staff).post(
        f"/api/v1/adoptions/{two.pk}/decline/", {"note": "时间已排满"}, format="json"
    )
    assert declined.json()["status"] == "declined" and declined.json()["decision_reason"] == "时间已排满"


def test_the_api_takes_a_bid_from_an_ngo_member_and_selects_it_for_staff(api_for, people, project):
    payload = {
        "project": project.pk,
        "organisation": people.ngo.pk,
        "plan": "方案",
        "price": "80000",
        "timeline": "一年",
        "team": "三人",
    }
    assert api_for(people.donor).post("/api/v1/bids/", payload, format="json").status_code == 403
    assert api_for(None).post("/api/v1/bids/", payload, format="json").status_code in (401, 403)
    wrong = api_for(people.other_ngo_member).post("/api/v1/bids/", payload, format="json")
    assert wrong.status_code == 403
    created = api_for(people.ngo_member).post("/api/v1/bids/", payload, format="json")
    assert created.status_code == 201 and created.json()["price"] == "80000.00"
    bid_id = created.json()["id"]
    assert api_for(people.ngo_member).post(f"/api/v1/bids/{bid_id}/select/", {"note": "x"}).status_code == 403
    selected = api_for(people.district_staff).post(f"/api/v1/bids/{bid_id}/select/", {"note": "唯一投标，方案可行"})
    assert selected.status_code == 200 and selected.json()["status"] == "selected"


def test_the_api_takes_a_bids_attachments_as_multipart(api_for, people, project):
    pdf = SimpleUploadedFile("预算表.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = api_for(people.ngo_member).post(
        "/api/v1/bids/",
        {
            "project": project.pk,
            "organisation": people.ngo.pk,
            "plan": "方案",
            "price": "100",
            "timeline": "半年",
            "team": "两人",
            "attachments": [pdf],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["private"]["attachments"] == ["预算表.pdf"]


def test_the_django_admin_lists_claims_and_bids_read_only(client_for, people, bids):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client = client_for(admin)
    services.claim_project(by=people.resident, project=bids[0].project, mode="fund", amount=100)
    for path in (
        "/django-admin/adoptions/adoption/",
        "/django-admin/adoptions/bid/",
        f"/django-admin/adoptions/bid/{bids[0].pk}/change/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/django-admin/adoptions/bid/add/").status_code == 403
