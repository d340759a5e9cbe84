"""Funding calls and declarations: drafts keep what was typed, submit checks the deadline, eligibility and
completeness on the server, and an NGO sees only its own organisation's declarations (pages and API)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from marketplace.calls import services
from marketplace.calls.models import CallStatus, Declaration, DeclarationStatus
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted
from tests.factories.calls import funding_call

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LINE = {"item": "活动材料", "amount": 2_000_000, "requested": 1_500_000, "self_raised": 500_000, "other_sources": 0}


@pytest.fixture
def call(tree):
    return funding_call(tree.street_a)


def complete_draft(people, call):
    declaration = services.start_declaration(by=people.ngo_member, call=call, organisation=people.ngo)
    declaration = services.save_draft(
        by=people.ngo_member,
        declaration=declaration,
        fields={
            "title": "独居老人助餐与探访",
            "problem": "甲一社区有独居老人86位，午餐多靠方便面。",
            "target_group": "独居老人",
            "beneficiaries": 86,
            "activities": "每周五天送餐，每月两次上门探访。",
            "timeline": "3月筹备，4月至12月实施。",
            "team": "社工2名，志愿者15名。",
        },
        lines=[LINE],
    )
    services.attach_document(
        by=people.ngo_member,
        declaration=declaration,
        document="项目预算表",
        file=SimpleUploadedFile("预算表.pdf", PDF, content_type="application/pdf"),
    )
    return declaration


def test_a_complete_draft_is_submitted_and_withdrawn_before_the_deadline(people, call):
    declaration = complete_draft(people, call)
    assert services.missing_for_submit(declaration) == {}
    services.submit_declaration(by=people.ngo_member, declaration=declaration)
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.SUBMITTED and declaration.submitted_at
    services.withdraw_declaration(by=people.ngo_member, declaration=declaration)
    assert Declaration.objects.get(pk=declaration.pk).status == DeclarationStatus.WITHDRAWN


def test_past_the_deadline_submitting_is_refused_and_the_text_is_kept(people, call):
    declaration = complete_draft(people, call)
    with time_machine.travel(call.closes_at + datetime.timedelta(minutes=1)):
        with pytest.raises(DomainError) as refused:
            services.submit_declaration(by=people.ngo_member, declaration=declaration)
        assert refused.value.code == "deadline"
        # A tab left open keeps saving: the draft still takes what was typed.
        services.save_draft(by=people.ngo_member, declaration=declaration, fields={"team": "社工3名"})
    declaration.refresh_from_db()
    assert declaration.status == DeclarationStatus.DRAFT and declaration.team == "社工3名"
    assert declaration.problem.startswith("甲一社区有独居老人")


def test_an_incomplete_draft_says_what_is_missing_field_by_field(people, call):
    declaration = services.start_declaration(by=people.ngo_member, call=call, organisation=people.ngo)
    services.save_draft(
        by=people.ngo_member,
        declaration=declaration,
        fields={"title": "儿童托管"},
        lines=[
            {**LINE, "requested": 100}  # parts do not add up to the cost
        ],
    )
    with pytest.raises(DomainError) as refused:
        services.submit_declaration(by=people.ngo_member, declaration=declaration)
    assert refused.value.code == "incomplete"
    assert {"problem", "beneficiaries", "budget", "attachments"} <= set(refused.value.fields)
    assert "活动材料" in str(refused.value.fields["budget"])


def test_eligibility_is_checked_on_submit(people, tree, call):
    call.max_active_projects = 0
    call.min_years_registered = 3
    call.save()
    declaration = complete_draft(people, call)
    with pytest.raises(DomainError) as refused:
        services.submit_declaration(by=people.ngo_member, declaration=declaration)
    assert refused.value.code == "not_eligible"
    people.ngo.registered_on = timezone.localdate() - datetime.timedelta(days=365 * 4)
    people.ngo.save()
    call.max_active_projects = None
    call.save()
    services.submit_declaration(by=people.ngo_member, declaration=declaration)
    # An NGO of another street does not serve the call's area.
    other = services.start_declaration(by=people.other_ngo_member, call=call, organisation=people.other_ngo)
    assert services.eligibility_problems(call, people.other_ngo)
    assert other.status == DeclarationStatus.DRAFT


def test_only_the_ngos_own_members_fill_in_submit_and_withdraw(people, call):
    declaration = complete_draft(people, call)
    for outsider in (people.other_ngo_member, people.donor, people.resident):
        with pytest.raises(NotPermitted):
            services.save_draft(by=outsider, declaration=declaration, fields={"title": "改名"})
        with pytest.raises(NotPermitted):
            services.submit_declaration(by=outsider, declaration=declaration)
    with pytest.raises(NotPermitted):
        services.start_declaration(by=people.other_ngo_member, call=call, organisation=people.ngo)
    with pytest.raises(DomainError):
        services.start_declaration(by=people.donor, call=call, organisation=people.company)


def test_a_draft_call_takes_no_declarations_and_publishing_needs_weights_of_100(people, tree):
    call = funding_call(tree.street_a, slug="draft-call", status=CallStatus.DRAFT)
    with pytest.raises(DomainError):
        services.start_declaration(by=people.ngo_member, call=call, organisation=people.ngo)
    call.criteria.first().delete()
    with pytest.raises(DomainError) as refused:
        services.publish_call(by=people.street_staff, call=call)
    assert refused.value.code == "rubric_weights"
    with pytest.raises(NotPermitted):
        services.publish_call(by=people.street_staff_b, call=call)


def test_the_beat_job_closes_calls_past_their_deadline(people, call):
    with time_machine.travel(call.closes_at + datetime.timedelta(seconds=1)):
        assert services.close_due_calls() == 1
        assert services.close_due_calls() == 0
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW


# --- pages ------------------------------------------------------------------------------------


def test_the_call_page_shows_rules_rubric_and_matching_table_to_everyone(client, call):
    html = client.get(call.get_absolute_url()).content.decode()
    assert "2027年度社区公益创投" in html and "必要性" in html and "80 %" in html and "项目预算表" in html
    assert client.get("/calls/").status_code == 200


def test_an_ngo_declares_in_steps_and_a_bad_value_keeps_what_was_typed(people, call, client_for):
    client = client_for(people.ngo_member)
    started = client.post(f"/calls/{call.slug}/declare/", {"organisation": people.ngo.pk})
    declaration = Declaration.objects.get()
    assert started.url == f"/calls/declarations/{declaration.pk}/step/problem/"
    page = client.post(
        started.url,
        {
            "title": "独居老人助餐",
            "problem": "午餐难",
            "target_group": "独居老人",
            "beneficiaries": "八十六",
            "go": "plan",
        },
    )
    assert page.status_code == 400 and "八十六" in page.content.decode()  # typed value shown back
    declaration.refresh_from_db()
    assert declaration.title == "独居老人助餐" and declaration.problem == "午餐难"  # the rest was kept
    saved = client.post(
        started.url,
        {
            "title": "独居老人助餐",
            "problem": "午餐难",
            "target_group": "独居老人",
            "beneficiaries": "86",
            "autosave": "1",
        },
    )
    assert saved.status_code == 200 and saved.json()["saved"] is True
    budget = f"/calls/declarations/{declaration.pk}/step/budget/"
    response = client.post(
        budget,
        {
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-item": "餐费补贴",
            "lines-0-amount": "20,000",
            "lines-0-requested": "15000",
            "lines-0-self_raised": "5000",
            "lines-0-other_sources": "",
            "go": "documents",
        },
    )
    assert response.status_code == 302
    assert declaration.budget_lines.get().amount == 2_000_000


def test_another_ngo_cannot_read_or_change_a_declaration(people, call, client_for, api_for):
    declaration = complete_draft(people, call)
    client = client_for(people.other_ngo_member)
    assert client.get(declaration.get_absolute_url()).status_code == 404
    assert client.get(f"/calls/declarations/{declaration.pk}/step/problem/").status_code == 404
    assert client.post(f"/calls/declarations/{declaration.pk}/submit/").status_code in (403, 404)
    attachment = declaration.attachments.get()
    assert client.get(f"/calls/declarations/{declaration.pk}/documents/{attachment.pk}/").status_code == 404
    assert client_for(None).get(declaration.get_absolute_url()).status_code == 302  # to log in
    # Staff of the call's area see it once submitted, never as a draft.
    staff = client_for(people.street_staff)
    assert staff.get(declaration.get_absolute_url()).status_code == 404
    services.submit_declaration(by=people.ngo_member, declaration=declaration)
    assert staff.get(declaration.get_absolute_url()).status_code == 200
    assert client_for(people.street_staff_b).get(declaration.get_absolute_url()).status_code == 404


# --- API ----------------------------------------------------------------------------------------


def test_the_api_drafts_submits_and_withdraws(people, call, api_for):
    api = api_for(people.ngo_member)
    created = api.post(
        "/api/v1/declarations/",
        {
            "call": call.slug,
            "organisation": people.ngo.pk,
            "title": "儿童课后托管",
            "budget_lines": [{"item": "场地", "amount": "10000.00", "requested": "8000", "self_raised": "2000"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and "problem" in body["missing"]
    pk = body["id"]
    refused = api.post(f"/api/v1/declarations/{pk}/submit/")
    assert refused.status_code == 400
    declaration = Declaration.objects.get(pk=pk)
    services.save_draft(
        by=people.ngo_member,
        declaration=declaration,
        fields={
            "problem": "双职工家庭放学后无人照看。",
            "target_group": "小学生",
            "beneficiaries": 40,
            "activities": "作业辅导、阅读",
            "timeline": "9月至次年6月",
            "team": "社工1名、志愿者10名",
        },
    )
    services.attach_document(
        by=people.ngo_member,
        declaration=declaration,
        document="项目预算表",
        file=SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf"),
    )
    assert api.post(f"/api/v1/declarations/{pk}/submit/").json()["status"] == "submitted"
    assert api.patch(f"/api/v1/declarations/{pk}/", {"title": "改"}, format="json").status_code == 400
    assert api.post(f"/api/v1/declarations/{pk}/withdraw/", {}, format="json").json()["status"] == "withdrawn"
    # Another NGO's member, a donor and an anonymous client see none of it.
    for other in (people.other_ngo_member, people.donor, None):
        listed = api_for(other).get("/api/v1/declarations/")
        assert listed.status_code in (200, 401, 403)
        if listed.status_code == 200:
            assert listed.json()["results"] == []
        assert api_for(other).get(f"/api/v1/declarations/{pk}/").status_code in (401, 403, 404)
    calls = api_for(None).get("/api/v1/calls/").json()["results"]
    assert [c["slug"] for c in calls] == [call.slug] and calls[0]["criteria"][0]["weight"] == 30
