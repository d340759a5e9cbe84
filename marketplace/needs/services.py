"""The need lifecycle. The only place a need changes status.

submitted → accepted | rejected; accepted → dispatched (department, deadline) | merged (project)
| referred (council); dispatched → answered; answered → followed up (resident's rating)
→ closed. A rating below 3 sends it back to the department once.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.services import record_action
from portal.core.errors import DomainError
from portal.core.transitions import Workflow
from portal.core.uploads import IMAGE, check_upload, reencode_image
from portal.notifications.messages import named
from portal.notifications.services import notify
from portal.organisations.models import OrganisationKind
from portal.regions.models import RegionLevel

from . import deadlines
from .escalation import resolve_orders
from .models import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    TRANSITIONS,
    Channel,
    EventKind,
    Need,
    NeedEvent,
    NeedPhoto,
    NeedStatus,
    NeedSupport,
)

S = NeedStatus
LOWEST_SATISFIED_RATING = 3
NEED_REGION_LEVELS = {RegionLevel.COMMUNITY, RegionLevel.GRID, RegionLevel.SUB_GRID}

# What the resident is told at each step: marketplace/needs/messages.py (written when read, in their language).


def _require(user, perm, need=None):
    if not user.has_perm(perm, need):
        raise PermissionDenied(perm)


def _record(need, *, by, kind=EventKind.STATUS, from_status="", to_status="", note="", at=None):
    return NeedEvent.objects.create(
        need=need,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=by if getattr(by, "pk", None) else None,
        note=note,
        created_at=at or timezone.now(),
    )


def _tell_resident(need, status, note=""):
    from .messages import STEP

    message = STEP.get(status)
    if message is None or need.submitted_by is None:
        return
    notify(
        users=[need.submitted_by],
        message=message,
        params={
            "title": need.title,
            "department": named(need.department if need.department_id else None),  # in the reader's language
            "project": need.project.title if need.project_id else "",
            "note": str(note or ""),
        },
        url=need.get_absolute_url(),
    )


def _after_move(need, previous):
    """Every move: supervision orders close, the resident hears of it."""
    resolve_orders(need, need._moved_at)
    _tell_resident(need, need.status, need._move_note)


def _record_move(need, *, by, from_status, to_status, note, at):
    need._moved_at, need._move_note = at, note
    return _record(need, by=by, from_status=from_status, to_status=to_status, note=note, at=at)


workflow = Workflow(
    model=Need,
    transitions=TRANSITIONS,
    stamps={
        S.ACCEPTED: "accepted_at",
        S.DISPATCHED: "dispatched_at",
        S.ANSWERED: "answered_at",
        S.FOLLOWED_UP: "followed_up_at",
        S.CLOSED: "closed_at",
    },
    record=_record_move,
    audit="need",
)


def _move(need, *, by, to, note="", apply=None, perm="needs.triage_need", again=False):
    """The need's move through the shared workflow: locked, checked, stamped, on the timeline, told.

    `by=None` is the system itself (closing after a satisfied follow-up): no permission to check.
    A move clears the overdue flag (the new step has its own deadline, if any).
    """
    if by is not None:
        _require(by, perm, need)

    def apply_move(n, now):
        n.is_overdue = False
        if n.status in (S.DISPATCHED, S.MERGED, S.REFERRED, S.REJECTED) and n.accepted_at is None:
            n.accepted_at = now  # handled straight from "submitted": it was accepted by being handled
        if apply:
            apply(n, now)

    return workflow.move(need, to=to, by=by, note=note, apply=apply_move, after=_after_move, again=again)


# --- intake -------------------------------------------------------------


@transaction.atomic
def submit_need(
    *,
    by,
    title,
    description,
    category,
    region,
    contact_name="",
    contact_phone="",
    show_name_publicly=False,
    photos=(),
    channel=Channel.WEB,
    resident=None,
    external_ref="",
    created_at=None,
):
    """A resident files a need on the web, or staff enter one on a resident's behalf (any channel)."""
    on_behalf = channel != Channel.WEB or resident is not None and resident.pk != by.pk
    if on_behalf:
        _require(by, "needs.enter_need")
        from portal.accounts.roles import REGIONAL_STAFF_ROLES, in_scope

        if not (by.is_superuser or in_scope(by, region, REGIONAL_STAFF_ROLES)):
            raise PermissionDenied(_("You can only enter needs within your own region."))
    else:
        _require(by, "needs.add_need")
        resident = by
    if region.level not in NEED_REGION_LEVELS:
        raise DomainError(_("Choose a community or a grid, not a whole street or district."), "region_level")
    need = Need(
        title=title.strip(),
        description=description.strip(),
        category=category,
        region=region,
        channel=channel,
        submitted_by=resident,
        entered_by=by if on_behalf else None,
        contact_name=contact_name,
        contact_phone=contact_phone,
        show_name_publicly=show_name_publicly,
        external_ref=external_ref or "",
        created_at=created_at or timezone.now(),
    )
    # The clock starts when the need reaches us: a ticket imported days after the hotline
    # took it must not be escalated the minute it arrives.
    need.accept_deadline = deadlines.accept_deadline(need, start=max(need.created_at, timezone.now()))
    # Field validation only: the database enforces the constraints (and we turn a clash into a message).
    need.full_clean(exclude=["project", "department"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            need.save()
    except IntegrityError as exc:
        raise DomainError(_("A need with this ticket number has already been recorded."), "duplicate_ticket") from exc
    if len(photos) > MAX_PHOTOS:
        raise DomainError(_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}, "photos")
    for photo in photos:
        check_upload(photo, IMAGE)
        # Residents' photos carry GPS positions in their metadata: store the pixels only.
        NeedPhoto.objects.create(need=need, image=reencode_image(photo))
    # The channel's code: the timeline shows its label in the reader's language (needs/timeline.py).
    workflow.start(need, by=by, note=channel)
    return need


@transaction.atomic
def support_need(*, by, need):
    """Join an existing need ("me too") instead of filing a duplicate."""
    _require(by, "needs.support_need", need)
    try:
        with transaction.atomic():
            NeedSupport.objects.create(need=need, user=by)
    except IntegrityError:
        return need  # already joined: a double click is harmless
    Need.objects.filter(pk=need.pk).update(supporters_count=F("supporters_count") + 1)
    _record(need, by=by, kind=EventKind.SUPPORTED)
    need.refresh_from_db(fields=["supporters_count"])
    return need


@transaction.atomic
def add_to_own_need(*, by, need, description, title=""):
    """The resident adds to their own open need what they were about to file as a second one.

    The words go on the need's timeline as the resident's note: staff handling it read them there,
    and no duplicate need is filed. Only the need's submitter may add to it, only while it is open.
    """
    _require(by, "needs.add_to_need", need)
    need = Need.objects.select_for_update().get(pk=need.pk)  # its status now, not as the page read it
    if need.status not in OPEN_STATUSES:
        raise DomainError(_("This need is no longer open: submit a new need instead."), "not_open")
    text = "\n".join(part for part in (title.strip(), description.strip()) if part)
    if not text:
        raise DomainError(_("Write what you want to add."), "empty")
    event = _record(need, by=by, kind=EventKind.NOTE, note=text)
    record_action(by=by, action="need.add_details", target=need, after={"event": event.pk})
    return need


# --- triage -------------------------------------------------------------


@transaction.atomic
def accept_need(*, by, need, note=""):
    return _move(need, by=by, to=S.ACCEPTED, note=note)


@transaction.atomic
def reject_need(*, by, need, reason):
    if not (reason or "").strip():
        raise DomainError(_("Give the resident a reason."), "reason_required")
    return _move(need, by=by, to=S.REJECTED, note=reason)


@transaction.atomic
def dispatch_need(*, by, need, department, deadline=None, note=""):
    """Hand the need to a department with a deadline: one move, one event, one message.

    A new need is accepted by being dispatched; a need already with another department
    is handed over (the same department again changes nothing).
    """
    if department is None or department.kind != OrganisationKind.DEPARTMENT or not department.is_verified:
        raise DomainError(_("Choose a verified government department."), "department_required")
    if deadline is not None and deadline <= timezone.now():
        raise DomainError(_("The deadline must be in the future."), "deadline_past")

    def apply(n, now):
        n.department = department
        n.answer_deadline = deadline or deadlines.answer_deadline(n, now)

    handing_over = need.status == S.DISPATCHED and need.department_id != department.pk
    return _move(need, by=by, to=S.DISPATCHED, note=note, apply=apply, again=handing_over)


@transaction.atomic
def refer_need(*, by, need, note="", council=None):
    """Refer the need to a residents' council: it becomes a topic there (deliberation.topics), whose
    every later step its submitter hears of. `council`: staff's choice when several are as near."""
    from deliberation.topics.services import topic_from_need

    referred = _move(need, by=by, to=S.REFERRED, note=note)
    if not hasattr(referred, "topic"):
        topic_from_need(by=by, need=referred, council=council)
    return referred


@transaction.atomic
def answer_need(*, by, need, answer):
    if not (answer or "").strip():
        raise DomainError(_("Write the answer the resident will read."), "answer_required")

    def apply(n, now):
        n.answer = answer.strip()

    return _move(need, by=by, to=S.ANSWERED, note=answer.strip(), apply=apply, perm="needs.answer_need")


@transaction.atomic
def rate_need(*, by, need, rating, comment=""):
    """The resident's follow-up (or staff recording it by phone). Below 3 reopens the need once."""
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError(_("Rate from 1 (not solved) to 5 (fully solved)."), "rating_range")

    def apply(n, now):
        n.rating = rating
        n.rating_comment = comment

    note = f"{rating}/5 {comment}".strip()
    need = _move(need, by=by, to=S.FOLLOWED_UP, note=note, apply=apply, perm="needs.rate_need")
    if rating < LOWEST_SATISFIED_RATING and need.reopened_count == 0:
        return reopen_need(by=None, need=need, note=_("Reopened: the resident is not satisfied."))
    return close_need(by=None, need=need, note=_("Closed after follow-up."))


@transaction.atomic
def reopen_need(*, by, need, note=""):
    """Back to the department that answered, with a fresh deadline (after an unsatisfied follow-up)."""

    def apply(n, now):
        n.reopened_count += 1
        n.answered_at = None
        n.answer_deadline = deadlines.answer_deadline(n, now)

    return _move(need, by=by, to=S.DISPATCHED, note=note, apply=apply)


@transaction.atomic
def close_need(*, by, need, note=""):
    return _move(need, by=by, to=S.CLOSED, note=note)


@transaction.atomic
def merge_needs(*, by, needs, project=None, title="", summary=""):
    """合并同类项: put similar needs into one project (a new one unless `project` is given)."""
    from marketplace.projects.services import create_project

    needs = list(needs)
    if not needs:
        raise DomainError(_("Select at least one need."), "no_needs")
    for need in needs:
        _require(by, "needs.triage_need", need)
    if project is None:
        if not title.strip():
            raise DomainError(_("Give the new project a title."), "title_required")
        project = create_project(
            by=by,
            title=title.strip(),
            summary=summary,
            category=needs[0].category,
            region=_common_region(need.region for need in needs),
        )
    merged = []
    for need in needs:

        def apply(n, now, project=project):
            n.project = project

        merged.append(_move(need, by=by, to=S.MERGED, note=project.title, apply=apply))
    _recount_needs(project)
    return project, merged


def _recount_needs(project):
    """Set the project's `need_count` from the needs that point at it (exact whatever was merged before)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    counts = Need.objects.filter(project=OuterRef("pk")).order_by().values("project").annotate(n=Count("pk"))
    type(project).objects.filter(pk=project.pk).update(need_count=Coalesce(Subquery(counts.values("n")[:1]), 0))


def _common_region(regions):
    from portal.regions.models import Region

    paths = [r.path for r in regions]
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: -Region.steplen]
    return Region.objects.get(path=prefix)


@transaction.atomic
def assign_need(*, by, need, assignee):
    """Give an open need to a grid worker or staff member who covers its region, to follow it up."""
    from .forms import assignable_staff

    _require(by, "needs.triage_need", need)
    if not assignable_staff(need.region).filter(pk=assignee.pk).exists():
        raise DomainError(_("%(user)s does not work in this need's region.") % {"user": assignee}, "assignee_scope")
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.assignee_id == assignee.pk:
        return need
    need.assignee = assignee
    need.save(update_fields=["assignee"])
    _record(need, by=by, kind=EventKind.NOTE, note=_("Assigned to %(user)s.") % {"user": assignee.public_name})
    from .messages import ASSIGNED

    notify(users=[assignee], message=ASSIGNED, params={"title": need.title}, url=need.get_absolute_url())
    return need
