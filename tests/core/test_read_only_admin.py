"""Records that change only through their own pages and API are read-only in the Django admin."""

import pytest

from deliberation.votes import services as vote_services
from deliberation.votes.models import ElectorateKind, QuestionKind
from portal.comments import services as comment_services
from tests.factories import UserFactory
from tests.factories.deliberation import council, topic
from tests.factories.meetings import agenda_item, meeting

pytestmark = pytest.mark.django_db


def test_topics_meetings_votes_and_comments_are_shown_but_not_added_changed_or_deleted(client_for, people, tree):
    root = client_for(UserFactory(username="root", is_staff=True, is_superuser=True))
    board = council(tree.community_a1)
    subject = topic(board, people.resident)
    gathering = meeting(board)
    vote = vote_services.create_vote(
        by=None,
        question="是否同意周六统一清理楼道堆物？",
        kind=QuestionKind.FOR_AGAINST,
        electorate=ElectorateKind.MEMBERS,
        agenda_item=agenda_item(gathering),
    )
    comment = comment_services.post_comment(by=people.resident, target=subject, body="支持，楼道太挤了")
    for model, record in [
        ("topics/topic", subject),
        ("meetings/meeting", gathering),
        ("votes/vote", vote),
        ("comments/comment", comment),
    ]:
        assert root.get(f"/django-admin/{model}/").status_code == 200, model
        page = root.get(f"/django-admin/{model}/{record.pk}/change/")
        assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), model
        assert root.get(f"/django-admin/{model}/add/").status_code == 403, model
        assert root.post(f"/django-admin/{model}/{record.pk}/delete/", {"post": "yes"}).status_code == 403, model
    subject.refresh_from_db()
    assert subject.title == "小区东门加装电动车充电桩"
