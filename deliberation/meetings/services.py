"""Meetings: the only place a meeting, its agenda, registrations, minutes and follow-ups change.

meeting: draft → announced (refused with less notice than the council's period for the kind)
→ registration_closed (the lottery, when oversubscribed) → held → minutes_published;
draft | announced | registration_closed → cancelled (with a reason; everyone registered is told).
registration: registered → confirmed | waitlisted (at the close) → cancelled; a cancelled seat
goes to the first on the waiting list.
"""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deliberation.topics import services as topic_services
from portal.accounts.roles import is_resident_of
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.core.uploads import DOCUMENT, check_upload
from portal.notifications.messages import when
from portal.notifications.services import notify

from . import lottery
from .models import (
    FOLLOW_UP_TRANSITIONS,
    LIVE_REGISTRATION_STATUSES,
    MEETING_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    AgendaDocument,
    AgendaItem,
    Eligibility,
    FollowUpAction,
    FollowUpStatus,
    Meeting,
    MeetingStatus,
    Minutes,
    MinutesAttachment,
    NoticePeriod,
    Purpose,
    Registration,
    RegistrationStatus,
)
from .richtext import clean_minutes
from .roles import is_chair

S, R = MeetingStatus, RegistrationStatus
MAX_DOCUMENTS = 5

meeting_workflow = Workflow(
    model=Meeting,
    transitions=MEETING_TRANSITIONS,
    stamps={
        S.ANNOUNCED: "announced_at",
        S.REGISTRATION_CLOSED: "registration_closed_at",
        S.HELD: "held_at",
        S.MINUTES_PUBLISHED: "minutes_published_at",
        S.CANCELLED: "cancelled_at",
    },
    audit="meeting",
)
registration_workflow = Workflow(
    model=Registration,
    transitions=REGISTRATION_TRANSITIONS,
    stamps={R.CONFIRMED: "confirmed_at", R.CANCELLED: "cancelled_at"},
)
follow_up_workflow = Workflow(
    model=FollowUpAction, transitions=FOLLOW_UP_TRANSITIONS, stamps={FollowUpStatus.DONE: "done_at"}
)

REGISTRATION_RESULT = {
    R.CONFIRMED: gettext_lazy("You have a seat at “%(meeting)s”."),
    R.WAITLISTED: gettext_lazy("“%(meeting)s” is full: you are number %(position)s on the waiting list."),
}


def _check_chair(by, council):
    if by is not None and not is_chair(by, council):
        raise NotPermitted(_("Only the council's chair or staff of its area can do this."))


# --- the meeting -------------------------------------------------------------


@transaction.atomic
def create_meeting(
    *,
    by,
    council,
    kind,
    title,
    starts_at,
    ends_at,
    place,
    capacity=0,
    description="",
    eligibility=Eligibility.RESIDENTS,
    registration_closes_at=None,
):
    """Draft a meeting of a council (the chair or staff of its area)."""
    _check_chair(by, council)
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), code="ends_at")
    if registration_closes_at is not None and registration_closes_at > starts_at:
        raise DomainError(_("Registration must close before the meeting starts."), code="registration_closes_at")
    if capacity and registration_closes_at is None:
        registration_closes_at = starts_at - timedelta(days=1)
    meeting = Meeting.objects.create(
        council=council,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        capacity=capacity or 0,
        eligibility=eligibility,
        registration_closes_at=registration_closes_at,
        created_by=by if getattr(by, "pk", None) else None,
    )
    meeting_workflow.start(meeting, by=by, at=timezone.now())
    return meeting


def notice_days(council, kind):
    period = NoticePeriod.objects.filter(council=council, kind=kind).values_list("days", flat=True).first()
    return settings.MEETING_NOTICE_DAYS if period is None else period


def _audience(meeting):
    """Who hears of the meeting: the council's serving members with an account, and those registered."""
    from deliberation.councils.models import CouncilMember

    members = CouncilMember.objects.serving().filter(council_id=meeting.council_id, user__isnull=False)
    users = [m.user for m in members.select_related("user")]
    users += [r.user for r in meeting.registrations.filter(user__isnull=False).select_related("user")]
    return users


@transaction.atomic
def announce_meeting(*, by, meeting):
    """Publish the meeting and its agenda; refused when it starts sooner than the council's notice period."""

    def apply(m, now):
        days = notice_days(m.council, m.kind)
        if m.starts_at < now + timedelta(days=days):
            raise DomainError(
                _(
                    "A %(kind)s of this council must be announced at least %(days)d days before it starts: "
                    "move it to %(earliest)s or later."
                )
                % {
                    "kind": m.get_kind_display(),
                    "days": days,
                    "earliest": timezone.localtime(now + timedelta(days=days)).strftime("%Y-%m-%d %H:%M"),
                },
                code="notice_period",
            )

    def after(m, previous):
        from .messages import ANNOUNCED

        notify(
            users=_audience(m),
            message=ANNOUNCED,
            params={"title": m.title, "starts": when(m.starts_at), "place": m.place},
            url=m.get_absolute_url(),
        )

    return meeting_workflow.move(
        meeting, to=S.ANNOUNCED, by=by, perm="meetings.manage_meeting", apply=apply, after=after
    )


@transaction.atomic
def hold_meeting(*, by, meeting):
    """Mark the meeting held: not before it has begun (a record of what happened, not a plan)."""

    def apply(m, now):
        if m.starts_at > now:
            starts = timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M")
            raise DomainError(
                _("The meeting starts at %(starts)s: mark it held once it has begun.") % {"starts": starts},
                code="not_started",
            )

    return meeting_workflow.move(meeting, to=S.HELD, by=by, perm="meetings.manage_meeting", apply=apply)


@transaction.atomic
def cancel_meeting(*, by, meeting, reason):
    """Cancel the meeting; its topics go back to the queue, everyone registered is told."""
    if not reason.strip():
        raise DomainError(_("Say why the meeting is cancelled."), code="reason")

    def apply(m, now):
        m.cancel_reason = reason.strip()

    def after(m, previous):
        for item in m.agenda_items.filter(topic__isnull=False).select_related("topic"):
            topic_services.unschedule_topic(item.topic, by=None, reason=reason)
        registered = m.registrations.filter(status__in=LIVE_REGISTRATION_STATUSES, user__isnull=False)
        from .messages import CANCELLED

        notify(
            users=[r.user for r in registered.select_related("user")],
            message=CANCELLED,
            params={"title": m.title, "reason": m.cancel_reason},
            url=m.get_absolute_url(),
        )

    return meeting_workflow.move(
        meeting, to=S.CANCELLED, by=by, perm="meetings.manage_meeting", note=reason, apply=apply, after=after
    )


# --- the agenda -------------------------------------------------------------------


@transaction.atomic
def add_agenda_item(*, by, meeting, title, description="", topic=None, documents=()):
    """Add an item at the end of the agenda; a topic put on it moves to "on a meeting's agenda"."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_chair(by, meeting.council)
    if meeting.status not in (S.DRAFT, S.ANNOUNCED, S.REGISTRATION_CLOSED):
        raise DomainError(_("The agenda of a meeting that has been held can no longer change."), code="agenda_closed")
    if topic is not None and topic.council_id != meeting.council_id:
        raise DomainError(_("Choose a topic of this council."), code="topic")
    documents = [d for d in documents if d]
    if len(documents) > MAX_DOCUMENTS:
        raise DomainError(_("Attach at most %(n)d documents.") % {"n": MAX_DOCUMENTS}, code="documents")
    for document in documents:
        check_upload(document, DOCUMENT)
    order = (meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting, order=order, title=title.strip(), description=description.strip(), topic=topic
    )
    for document in documents:
        AgendaDocument.objects.create(item=item, file=document, name=document.name[:120])
    if topic is not None:
        topic_services.schedule_topic(topic, by=by, meeting=meeting)
    return item


# --- registration --------------------------------------------------------------


def may_register(user, meeting):
    """Eligibility alone (the window and the seats are the service's): residents of the area, or as the meeting says."""
    if not getattr(user, "is_authenticated", False):
        return False
    if meeting.eligibility == Eligibility.ANYONE:
        return True
    return is_resident_of(user, meeting.council.region)


def _lock_meeting(meeting):
    return Meeting.objects.select_for_update(of=("self",)).select_related("council__region").get(pk=meeting.pk)


@transaction.atomic
def register(*, by, meeting, purpose=Purpose.ATTEND):
    """A resident asks for a seat. Everyone registered before the close takes part in the draw if seats run short."""
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Log in to register."))
    meeting = _lock_meeting(meeting)
    if not meeting.registration_open():
        raise DomainError(_("Registration for this meeting is not open."), code="not_open")
    if not may_register(by, meeting):
        raise NotPermitted(
            _("This meeting is open to verified residents of %(area)s.") % {"area": meeting.council.region}
        )
    try:
        with transaction.atomic():
            registration = Registration.objects.create(meeting=meeting, user=by, purpose=purpose)
    except IntegrityError:
        raise DomainError(_("You are already registered for this meeting."), code="already_registered") from None
    registration_workflow.start(registration, by=by, at=timezone.now())
    return registration


@transaction.atomic
def register_for(*, by, meeting, name, phone="", purpose=Purpose.ATTEND):
    """Staff register a resident without an account, by name and phone."""
    meeting = _lock_meeting(meeting)
    _check_chair(by, meeting.council)
    if meeting.status not in (S.ANNOUNCED,) or not meeting.needs_registration:
        raise DomainError(_("Registration for this meeting is not open."), code="not_open")
    if not name.strip():
        raise DomainError(_("Enter the person's name."), code="name")
    registration = Registration.objects.create(
        meeting=meeting, name=name.strip(), phone=phone.strip(), purpose=purpose, entered_by=by
    )
    registration_workflow.start(registration, by=by, at=timezone.now())
    return registration


def _tell_result(registration):
    message = REGISTRATION_RESULT.get(registration.status)
    if message is None or registration.user_id is None:
        return
    meeting = registration.meeting
    from .messages import REGISTRATION

    notify(
        users=[registration.user],
        message=REGISTRATION[registration.status],
        params={"meeting": meeting.title, "position": registration.waitlist_position},
        url=registration.get_absolute_url(),
    )


@transaction.atomic
def close_registration(*, by, meeting):
    """Close registration. With more people than seats, the public draw decides who gets one; everyone is told."""

    def apply(m, now):
        entries = list(m.registrations.filter(status=R.REGISTERED).order_by("ref"))
        m.registration_closed_at = now
        if len(entries) <= m.capacity or not m.capacity:
            registration_workflow.move_many(entries, to=R.CONFIRMED, by=by)
            return
        refs = [r.ref for r in entries]
        closed = now.astimezone(UTC).isoformat()
        m.lottery_entries = "\n".join(sorted(refs))
        m.lottery_seed = lottery.seed_for(m.pk, closed, refs)
        m.lottery_drawn_at = now
        by_ref = {r.ref: r for r in entries}
        ranks = {by_ref[ref].pk: rank for rank, ref in enumerate(lottery.draw(m.lottery_seed, refs), start=1)}
        seated = {pk for pk, rank in ranks.items() if rank <= m.capacity}

        def drawn(registration, now):
            registration.lottery_rank = ranks[registration.pk]
            if registration.pk not in seated:
                registration.waitlist_position = registration.lottery_rank - m.capacity

        note = _("Public draw: %(entries)s registrations for %(seats)s seats.") % {
            "entries": len(entries),
            "seats": m.capacity,
        }
        for to, chosen in ((R.CONFIRMED, seated), (R.WAITLISTED, set(ranks) - seated)):
            registration_workflow.move_many(
                [r for r in entries if r.pk in chosen], to=to, by=by, note=note, apply=drawn
            )

    def after(m, previous):
        for registration in m.registrations.filter(status__in=(R.CONFIRMED, R.WAITLISTED)).select_related("user"):
            registration.meeting = m
            _tell_result(registration)

    return meeting_workflow.move(
        meeting, to=S.REGISTRATION_CLOSED, by=by, perm="meetings.manage_meeting", apply=apply, after=after
    )


def lottery_closed_at(meeting):
    """The published close time the seed was made from (ISO 8601, UTC)."""
    return meeting.registration_closed_at.astimezone(UTC).isoformat() if meeting.registration_closed_at else ""


@transaction.atomic
def cancel_registration(*, by, registration):
    """The person (or staff) cancels; a confirmed seat after the close goes to the first on the waiting list."""
    meeting = _lock_meeting(registration.meeting)
    if meeting.status not in (S.ANNOUNCED, S.REGISTRATION_CLOSED):
        raise DomainError(_("Registrations of this meeting can no longer change."), code="closed")
    was = Registration.objects.get(pk=registration.pk).status
    registration = registration_workflow.move(registration, to=R.CANCELLED, by=by, perm="meetings.cancel_registration")
    if was == R.CONFIRMED and meeting.status == S.REGISTRATION_CLOSED:
        _move_up(meeting)
    return registration


def _move_up(meeting):
    waiting = (
        Registration.objects.select_for_update()
        .filter(meeting=meeting, status=R.WAITLISTED)
        .order_by("waitlist_position", "id")
        .first()
    )
    if waiting is None:
        return None
    promoted = registration_workflow.move(waiting, to=R.CONFIRMED, by=None)
    Registration.objects.filter(meeting=meeting, status=R.WAITLISTED).update(
        waitlist_position=F("waitlist_position") - 1
    )
    promoted.waitlist_position = None
    promoted.save(update_fields=["waitlist_position"])
    promoted.meeting = meeting
    _tell_result(promoted)
    return promoted


@transaction.atomic
def check_in(*, by, meeting, token="", registration=None):
    """Staff at the door scan the QR code (or type its token) or tick a name. Returns the registration."""
    meeting = _lock_meeting(meeting)
    _check_chair(by, meeting.council)
    if meeting.status not in (S.REGISTRATION_CLOSED, S.HELD):
        raise DomainError(_("Check-in opens when registration has closed."), code="not_open")
    queryset = Registration.objects.select_for_update().filter(meeting=meeting)
    found = (
        queryset.filter(pk=registration.pk).first()
        if registration
        else queryset.filter(checkin_token=token.strip()).first()
    )
    if found is None:
        raise DomainError(_("No registration of this meeting has this code."), code="unknown")
    if found.status != R.CONFIRMED:
        raise DomainError(
            _("%(name)s has no confirmed seat (%(status)s).")
            % {"name": found.display_name, "status": found.get_status_display()},
            code="not_confirmed",
        )
    if found.checked_in_at is None:
        found.checked_in_at = timezone.now()
        found.save(update_fields=["checked_in_at"])
    return found


# --- after the meeting ---------------------------------------------------------


@transaction.atomic
def save_minutes(*, by, meeting, body, decisions=None, attachments=()):
    """Write (or rewrite, until published) the minutes and each agenda item's decision."""
    meeting = _lock_meeting(meeting)
    _check_chair(by, meeting.council)
    if meeting.status != S.HELD:
        raise DomainError(_("Minutes are written once the meeting is held, until they are published."), code="not_held")
    cleaned = clean_minutes(body)
    if not cleaned:
        raise DomainError(_("Write the minutes."), code="body")
    for attachment in [a for a in attachments if a]:
        check_upload(attachment, DOCUMENT)
    minutes, _created = Minutes.objects.update_or_create(
        meeting=meeting, defaults={"body": cleaned, "written_by": by if getattr(by, "pk", None) else None}
    )
    for attachment in [a for a in attachments if a]:
        MinutesAttachment.objects.create(minutes=minutes, file=attachment, name=attachment.name[:120])
    for item in meeting.agenda_items.all():
        text = (decisions or {}).get(item.pk)
        if text is not None:
            item.decision = text.strip()
            item.save(update_fields=["decision"])
    return minutes


@transaction.atomic
def publish_minutes(*, by, meeting):
    """Publish the minutes: decided topics are closed with their decision; the council and those registered are told."""

    def apply(m, now):
        minutes = Minutes.objects.filter(meeting=m).first()
        if minutes is None:
            raise DomainError(_("Write the minutes before publishing them."), code="no_minutes")
        minutes.published_at = now
        minutes.save(update_fields=["published_at"])
        for item in m.agenda_items.select_related("topic"):
            if item.decision:
                item.decided_at = now
                item.save(update_fields=["decided_at"])
                if item.topic is not None:
                    topic_services.decide_topic(item.topic, by=by, decision=item.decision)

    def after(m, previous):
        from .messages import MINUTES_PUBLISHED

        notify(
            users=_audience(m),
            message=MINUTES_PUBLISHED,
            params={"title": m.title},
            url=m.get_absolute_url() + "#minutes",
        )

    return meeting_workflow.move(
        meeting, to=S.MINUTES_PUBLISHED, by=by, perm="meetings.manage_meeting", apply=apply, after=after
    )


@transaction.atomic
def add_follow_up(*, by, meeting, what, responsible, due_on, agenda_item=None, responsible_user=None):
    _check_chair(by, meeting.council)
    if meeting.status not in (S.HELD, S.MINUTES_PUBLISHED):
        raise DomainError(_("Follow-up actions come from a meeting that has been held."), code="not_held")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError(_("Choose an item of this meeting's agenda."), code="agenda_item")
    if not what.strip() or not responsible.strip():
        raise DomainError(_("Say what is to be done and who does it."), code="what")
    action = FollowUpAction.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        what=what.strip(),
        responsible=responsible.strip(),
        responsible_user=responsible_user,
        due_on=due_on,
    )
    follow_up_workflow.start(action, by=by, at=timezone.now())
    return action


@transaction.atomic
def complete_follow_up(*, by, action, note=""):
    """The chair (or staff of the area) marks a follow-up action done."""
    _check_chair(by, action.meeting.council)
    return follow_up_workflow.move(action, to=FollowUpStatus.DONE, by=by, note=note.strip())


@transaction.atomic
def drop_follow_up(*, by, action, reason):
    """The chair drops a follow-up action that will not be done, saying why (the reason is on its timeline)."""
    _check_chair(by, action.meeting.council)
    if not (reason or "").strip():
        raise DomainError(_("Say why the action is dropped."), code="reason_required")
    return follow_up_workflow.move(action, to=FollowUpStatus.DROPPED, by=by, note=reason.strip())


def chase_overdue_follow_ups(today=None):
    """Remind the responsible person and the meeting's organiser of each open action past its date, once a day."""
    today = today or timezone.localdate()
    due = (
        FollowUpAction.objects.filter(status=FollowUpStatus.OPEN, due_on__lt=today)
        .exclude(overdue_notified_on=today)
        .select_related("meeting__created_by", "responsible_user")
    )
    chased = 0
    for action in due:
        with transaction.atomic():
            claimed = (
                FollowUpAction.objects.filter(pk=action.pk)
                .exclude(overdue_notified_on=today)
                .update(overdue_notified_on=today)
            )
            if not claimed:
                continue  # another run took it
            from .messages import FOLLOW_UP_OVERDUE

            notify(
                users=[action.responsible_user, action.meeting.created_by],
                message=FOLLOW_UP_OVERDUE,
                params={
                    "date": when(action.due_on),
                    "what": action.what,
                    "meeting": action.meeting.title,
                    "who": action.responsible,
                },
                url=action.get_absolute_url(),
            )
            chased += 1
    return chased
