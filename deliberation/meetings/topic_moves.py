"""Moving a topic when a meeting takes it up or decides it.

The topics app owns the Topic model and its table of moves; until its services offer these two
moves, this Workflow (same model, same table) is the meetings' way to make them. To unify at
merge: replace these calls with the topics app's own services.
"""

from deliberation.topics.models import TRANSITIONS, Topic, TopicStatus
from portal.core.transitions import Workflow

topic_workflow = Workflow(
    model=Topic, transitions=TRANSITIONS, stamps={TopicStatus.DECIDED: "decided_at"}, audit="topic"
)


def schedule_topic(topic, *, by, meeting):
    return topic_workflow.move(topic, to=TopicStatus.SCHEDULED, by=by, note=meeting.title)


def unschedule_topic(topic, *, by, reason):
    return topic_workflow.move(topic, to=TopicStatus.QUEUED, by=by, note=reason)


def decide_topic(topic, *, by, decision):
    def apply(t, now):
        t.decision_reason = decision

    return topic_workflow.move(topic, to=TopicStatus.DECIDED, by=by, note=decision, apply=apply)
