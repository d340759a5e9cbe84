"""A call with 5,000 declarations: the review board, the call's results (page and API) and the NGO's track
record run a bounded number of queries. Rows are bulk-written; the states are reached through the services."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.calls import results, review
from marketplace.calls.models import AssignmentStatus, CallStatus, Declaration, DeclarationStatus, ReviewAssignment
from tests.calls.conftest import FIELDS, scores

pytestmark = pytest.mark.django_db

DECLARATIONS = 5_000


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response


def _many_declarations(call, organisation, member, reviewers):
    """5,000 submitted declarations, each scored by three reviewers, one total in fifty an outlier."""
    now = timezone.now()
    declarations = Declaration.objects.bulk_create(
        Declaration(
            call=call,
            organisation=organisation,
            created_by=member,
            title=f"社区服务项目 {i:04d}",
            status=DeclarationStatus.SUBMITTED,
            submitted_at=now,
            **FIELDS,
        )
        for i in range(DECLARATIONS)
    )
    if connection.vendor == "sqlite" and declarations[0].pk is None:  # bulk_create returns no ids there
        declarations = list(Declaration.objects.filter(call=call, title__startswith="社区服务项目").order_by("pk"))
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            declaration=declaration,
            reviewer=reviewer,
            kind="expert",
            status=AssignmentStatus.SUBMITTED,
            total=45 if (i % 50 == 0 and j == 0) else 75,
            submitted_at=now,
        )
        for i, declaration in enumerate(declarations)
        for j, reviewer in enumerate(reviewers)
    )


def test_the_board_the_results_and_the_track_record_stay_bounded_with_5000_declarations(
    panel, people, client_for, api_for
):
    call, ours, theirs, reviewers = panel
    for assignment in ReviewAssignment.objects.filter(status=AssignmentStatus.ASSIGNED):
        review.submit_scores(by=assignment.reviewer, review=assignment, scores=scores(call, 8))

    def staff():  # one test client: each use signs its person in
        return client_for(people.street_staff)

    organisation_url = people.other_ngo.get_absolute_url()
    _queries(staff(), f"/calls/{call.slug}/review/")  # caches warmed (content types, the session)
    board_few, _ = _queries(staff(), f"/calls/{call.slug}/review/")
    record_few, _ = _queries(client_for(people.resident), organisation_url)

    _many_declarations(call, people.other_ngo, people.other_ngo_member, reviewers[1:])
    review.compute_awards(by=people.street_staff, call=call)

    board_many, page = _queries(staff(), f"/calls/{call.slug}/review/")
    assert board_many <= board_few + 6, board_many  # the outliers and the ranking appear: a few more, no more
    html = page.content.decode().split('id="awards-heading"')[0]  # the progress section
    # 50 declarations a page (the panel's two come first), every outlier of the call counted.
    assert "社区服务项目 0047" in html and "社区服务项目 0048" not in html
    assert page.context["board"]["outlier_count"] == DECLARATIONS // 50
    later, page = _queries(staff(), f"/calls/{call.slug}/review/?page=101&awards=101")
    assert later == board_many and "社区服务项目 4999" in page.content.decode()

    results.publish_results(by=people.street_staff, call=call)
    call.refresh_from_db()
    assert call.status == CallStatus.NOTICE
    anonymous_detail, page = _queries(client_for(None), f"{call.get_absolute_url()}?nocache=1")
    assert anonymous_detail <= 20, anonymous_detail
    assert "?results=2" in page.content.decode()  # the results in pages too
    api = api_for(people.resident)
    with CaptureQueriesContext(connection) as captured:
        listed = api.get(f"/api/v1/awards/?call={call.pk}")
    assert listed.status_code == 200 and listed.json()["count"] == DECLARATIONS + 2
    assert len(captured) <= 12, len(captured)

    record_many, page = _queries(client_for(people.resident), organisation_url)
    assert record_many == record_few, (record_few, record_many)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(f"/api/v1/organisations/{people.other_ngo.pk}/").status_code == 200
    assert len(captured) <= 12, len(captured)
