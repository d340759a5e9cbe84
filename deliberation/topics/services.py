"""Topics: the only place one is proposed, supported, classified, merged, rejected or queued.

collecting → queued (supports reach the council's threshold) | rejected (staff, with a reason)
| merged (staff, into another topic of the council); queued → scheduled (a meeting's agenda,
deliberation.meetings) → decided (the minutes, or an online vote that reached its quorum). Every move is
public on the topic's timeline and told to its proposer, its supporters and, for a topic made from a
referred need, the need's submitter.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliberation.councils.models import Council, CouncilLevel
from portal.accounts.roles import residence
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.notifications.services import notify

from .models import TRANSITIONS, Support, Topic, TopicStatus

T = TopicStatus

topic_workflow = Workflow(
    model=Topic,
    transitions=TRANSITIONS,
    stamps={T.QUEUED: "queued_at", T.DECIDED: "decided_at", T.REJECTED: "decided_at", T.MERGED: "decided_at"},
    audit="topic",
)

STATUS_MESSAGES = {
    T.QUEUED: gettext_lazy("The topic “%(title)s” has enough support and waits for a council meeting's agenda."),
    T.SCHEDULED: gettext_lazy("The topic “%(title)s” is on a council meeting's agenda."),
    T.DECIDED: gettext_lazy("The council has decided on the topic “%(title)s”."),
    T.REJECTED: gettext_lazy("The topic “%(title)s” was not taken up."),
    T.MERGED: gettext_lazy("The topic “%(title)s” was merged into “%(into)s”."),
}


def _require(by, perm, obj, message=None):
    if not getattr(by, "is_authenticated", False) or not by.has_perm(perm, obj):
        raise NotPermitted(message)


def tell_followers_of_move(topic, previous):
    """Proposer, supporters and the source need's submitter hear of every move of the topic."""
    message = STATUS_MESSAGES.get(topic.status)
    if message is None:
        return
    users = [topic.proposed_by]
    if topic.source_need_id:
        users.append(topic.source_need.submitted_by)
    users += [s.user for s in topic.supports.select_related("user")]
    title, into = topic.title, topic.merged_into.title if topic.merged_into_id else ""
    from .messages import STATUS

    notify(
        users=users,
        message=STATUS[topic.status],
        params={"title": title, "into": into, "reason": topic.decision_reason or ""},
        url=topic.get_absolute_url(),
    )


def _move(topic, *, to, by, note="", apply=None, perm=None):
    return topic_workflow.move(topic, to=to, by=by, perm=perm, note=note, apply=apply, after=tell_followers_of_move)


@transaction.atomic
def propose_topic(*, by, council, title, body, category=None):
    """A resident of the council's region proposes a topic while the council collects them."""
    _require(
        by, "topics.add_topic", council, _("Verified residents of the area may propose topics while it collects them.")
    )
    home = residence(by)
    region = home if home is not None and council.region.contains(home) else council.region
    topic = Topic.objects.create(
        council=council, title=title.strip(), body=body.strip(), category=category, region=region, proposed_by=by
    )
    topic_workflow.start(topic, by=by)
    return topic


def _queue_if_enough(topic):
    if topic.status == T.COLLECTING and topic.support_count >= topic.council.support_threshold:
        return _move(topic, to=T.QUEUED, by=None, note=_("Enough residents support it."))
    return topic


@transaction.atomic
def support_topic(*, by, topic):
    """One support per resident (the database holds it); a second changes nothing."""
    topic = Topic.objects.select_for_update(of=("self",)).select_related("council").get(pk=topic.pk)
    _require(by, "topics.support_topic", topic, _("Verified residents of the area may support this topic."))
    try:
        with transaction.atomic():
            Support.objects.create(topic=topic, user=by)
    except IntegrityError:
        return topic  # supported already (a double click, another tab)
    Topic.objects.filter(pk=topic.pk).update(support_count=F("support_count") + 1)
    topic.refresh_from_db(fields=["support_count"])
    return _queue_if_enough(topic)


@transaction.atomic
def classify_topic(*, by, topic, category):
    _require(by, "topics.manage_topic", topic)
    topic.category = category
    topic.save(update_fields=["category"])  # a save: the search index hears it (a category is a facet)
    return topic


@transaction.atomic
def reject_topic(*, by, topic, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the topic is not taken up: its proposer and supporters read it."), "reason")

    def apply(t, now):
        t.decision_reason = reason

    return _move(topic, to=T.REJECTED, by=by, note=reason, apply=apply, perm="topics.manage_topic")


@transaction.atomic
def merge_topic(*, by, topic, into, note=""):
    """Merge a duplicate `topic` into `into`: its supporters (and proposer) who had not supported
    `into` become supporters of it, nobody twice; the duplicate becomes MERGED."""
    _require(by, "topics.manage_topic", topic)
    if into.pk == topic.pk or into.council_id != topic.council_id:
        raise DomainError(_("Merge into another topic of the same council."), "merge_target")
    first, second = sorted([topic, into], key=lambda t: t.pk)  # one lock order: no deadlock between two merges
    locked = {t.pk: t for t in Topic.objects.select_for_update(of=("self",)).filter(pk__in=[first.pk, second.pk])}
    into = Topic.objects.select_related("council").get(pk=into.pk)
    if locked[into.pk].status not in (T.COLLECTING, T.QUEUED):
        raise DomainError(
            _("Merge into a topic that is still collecting support or waiting for an agenda."), "merge_target"
        )
    carried = set(Support.objects.filter(topic=topic).values_list("user_id", flat=True))
    if topic.proposed_by_id:
        carried.add(topic.proposed_by_id)
    carried.discard(into.proposed_by_id)
    carried -= set(Support.objects.filter(topic=into, user_id__in=carried).values_list("user_id", flat=True))
    Support.objects.bulk_create([Support(topic=into, user_id=user_id) for user_id in carried], ignore_conflicts=True)
    Topic.objects.filter(pk=into.pk).update(support_count=Support.objects.filter(topic=into).count())

    def apply(t, now):
        t.merged_into = into

    merged = _move(topic, to=T.MERGED, by=by, note=note or into.title, apply=apply, perm="topics.manage_topic")
    into.refresh_from_db(fields=["support_count"])
    _queue_if_enough(into)
    return merged


def councils_for(region):
    """The active councils whose region holds `region`, nearest first."""
    if region is None:
        return []
    regions = [*region.get_ancestors(), region]
    councils = Council.objects.filter(is_active=True, region__in=regions).select_related("region")
    return sorted(councils, key=lambda c: (-c.region.depth, c.level == CouncilLevel.HEARING_CENTRE, c.pk))


def topic_from_need(*, by, need, council=None):
    """A referred need becomes a topic of the council of its region (staff choose when several are as near)."""
    candidates = councils_for(need.region)
    if council is None:
        if not candidates:
            raise DomainError(_("No council covers this need's area."), "no_council")
        nearest = [c for c in candidates if c.region.depth == candidates[0].region.depth]
        if len(nearest) > 1:
            raise DomainError(_("Several councils cover this area: choose one."), "choose_council")
        council = nearest[0]
    elif council.pk not in {c.pk for c in candidates}:
        raise DomainError(_("Choose a council whose area holds the need."), "council_elsewhere")
    topic = Topic.objects.create(
        council=council,
        title=need.title[:120],
        body=need.description,
        category=need.category,
        region=need.region,
        proposed_by=need.submitted_by,
        source_need=need,
    )
    topic_workflow.start(topic, by=by)
    return topic


# Moves a council meeting makes (deliberation.meetings checks who may make them): the topic is
# put on an agenda, taken off it again, or decided when the minutes are published.


def schedule_topic(topic, *, by, meeting):
    return _move(topic, to=T.SCHEDULED, by=by, note=meeting.title)


def unschedule_topic(topic, *, by, reason):
    return _move(topic, to=T.QUEUED, by=by, note=reason)


def decide_topic(topic, *, by, decision):
    def apply(t, now):
        t.decision_reason = decision

    return _move(topic, to=T.DECIDED, by=by, note=decision, apply=apply)


def decide_topic_by_vote(topic, *, by, vote, result):
    """An online vote on the topic has closed: a vote that reached its quorum settles the topic — decided
    when carried, not taken up when not — and one that missed it leaves the topic where it was, for the
    chair to call again. The topic's page links its votes either way."""
    outcome = T.DECIDED if result.carried else T.REJECTED
    if not result.quorum_met or outcome not in TRANSITIONS.get(topic.status, ()):
        return topic
    # The decision is a public record in the district's language, like the minutes' decisions.
    with translation.override(settings.LANGUAGE_CODE):
        if result.carried:
            decision = _("Carried by an online vote: “%(question)s”.") % {"question": vote.question}
        else:
            decision = _("Not carried by an online vote: “%(question)s”.") % {"question": vote.question}
    if result.carried:
        return decide_topic(topic, by=by, decision=decision)

    def apply(t, now):
        t.decision_reason = decision

    return _move(topic, to=T.REJECTED, by=by, note=decision, apply=apply)
