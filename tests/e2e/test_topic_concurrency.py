"""Thirty residents support one topic at once, and one of them twice, each in its own thread and connection
(PostgreSQL): one support each, the count equals the rows, the topic is queued exactly once.

Committing test (each thread must see the others' commits), so it lives with the other committing tests.
"""

from functools import partial

import pytest
from django.db import connection

from deliberation.topics import services
from deliberation.topics.models import Support, Topic, TopicStatus
from portal.core.models import TimelineEvent
from tests.e2e.concurrency import at_once
from tests.factories import build_tree, grant
from tests.factories.accounts import UserFactory
from tests.factories.deliberation import council, topic

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks"),
]


def test_concurrent_supports_count_once_each_and_queue_once():
    from portal.accounts.models import Role

    tree = build_tree()
    board = council(tree.community_a1, threshold=20)
    subject = topic(board, None)
    residents = [grant(UserFactory(username=f"supporter{i}"), Role.RESIDENT, tree.community_a1) for i in range(30)]
    attempts = [*residents, residents[0]]  # the first one clicks twice
    jobs = [partial(services.support_topic, by=user, topic=subject) for user in attempts]
    errors, refused = at_once(jobs)
    assert not errors and not refused, (errors, refused)

    subject = Topic.objects.get(pk=subject.pk)
    assert subject.support_count == Support.objects.filter(topic=subject).count() == 30
    assert subject.status == TopicStatus.QUEUED
    assert TimelineEvent.objects.filter(object_id=subject.pk, to_status=TopicStatus.QUEUED).count() == 1
