"""Who may propose, support and manage topics. Proposing is one composed rule: a verified resident of
the council's region, while the council collects topics (`portal.phases`)."""

import rules

from deliberation.councils.models import COLLECT_TOPICS
from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role, in_scope, is_resident_of
from portal.accounts.rules import owner_predicate
from portal.phases.rules import phase_open

from .models import TopicStatus

is_proposer = owner_predicate("proposed_by_id", "is_topic_proposer")
SUPPORTABLE = (TopicStatus.COLLECTING, TopicStatus.QUEUED)


def _council(obj):
    """The council of a topic, or the council itself."""
    return getattr(obj, "council", obj) if obj is not None else None


@rules.predicate
def is_resident_of_council_region(user, obj):
    council = _council(obj)
    return council is not None and is_resident_of(user, council.region)


@rules.predicate
def is_staff_of_council_region(user, obj):
    council = _council(obj)
    return council is not None and in_scope(user, council.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_supportable(user, topic):
    return topic is not None and topic.status in SUPPORTABLE


@rules.predicate
def is_administrative_staff(user):
    return has_role(user, *ADMINISTRATIVE_ROLES)


collecting = phase_open(COLLECT_TOPICS, _council, name="council_collects_topics")

rules.add_perm("topics.view_topic", rules.always_allow)
# Without an object (the API's create): signed in; the service checks the council.
rules.add_perm("topics.post_topic", rules.is_authenticated)
# On a council.
rules.add_perm("topics.add_topic", rules.is_authenticated & is_resident_of_council_region & collecting)
# The proposer's own proposal is their support: they cannot add another to their topic.
rules.add_perm(
    "topics.support_topic", rules.is_authenticated & is_supportable & is_resident_of_council_region & ~is_proposer
)
rules.add_perm("topics.manage_topic", is_staff_of_council_region | rules.is_superuser)
rules.add_perm("topics.view_agenda_queue", is_administrative_staff | rules.is_superuser)
