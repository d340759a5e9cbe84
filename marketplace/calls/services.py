"""Funding calls and declarations: the only place either changes. Every status move goes through a Workflow.

call: draft → open (staff of its area publish it) → review (its declarations close) → notice → decided,
or cancelled before the results take effect. declaration: draft → submitted (a member of the NGO,
while the call accepts declarations and the NGO is eligible) → withdrawn (before the deadline).
A draft keeps whatever its members type, even past the deadline: only submitting is refused then.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.funding import ledger
from marketplace.funding.models import Fund
from portal.accounts.roles import role_facts
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.core.uploads import DOCUMENT, check_upload
from portal.organisations.models import OrganisationKind, VerificationStatus

from .models import (
    CALL_TRANSITIONS,
    DECLARATION_TRANSITIONS,
    CallStatus,
    Declaration,
    DeclarationAttachment,
    DeclarationBudgetLine,
    DeclarationStatus,
    FundingCall,
)

C, D = CallStatus, DeclarationStatus
MAX_ATTACHMENTS = 10
MAX_BUDGET_LINES = 40
# What a draft may hold: every field a member types on the steps of the form.
DRAFT_FIELDS = ("title", "problem", "target_group", "beneficiaries", "activities", "timeline", "team")
REQUIRED_ON_SUBMIT = ("title", "problem", "target_group", "beneficiaries", "activities", "timeline", "team")
# Projects an NGO runs while they count against a call's limit (the projects app's statuses).
RUNNING_PROJECT_STATUSES = ("funded", "in_progress")

call_workflow = Workflow(
    model=FundingCall,
    transitions=CALL_TRANSITIONS,
    stamps={C.OPEN: "published_at", C.DECIDED: "decided_at"},
    audit="funding_call",
)
declaration_workflow = Workflow(
    model=Declaration,
    transitions=DECLARATION_TRANSITIONS,
    stamps={D.SUBMITTED: "submitted_at", D.WITHDRAWN: "withdrawn_at"},
    audit="declaration",
)


# --- calls ------------------------------------------------------------------------------------


@transaction.atomic
def publish_call(*, by, call, note=""):
    """Staff of the call's area open it to declarations; it needs a rubric and a matching table first."""
    if not call_workflow.permits(by, call, C.OPEN, "calls.manage_call"):
        raise NotPermitted()
    if call.status == C.DRAFT:
        weights = sum(c.weight for c in call.criteria.all())
        if weights != 100:
            raise DomainError(
                _("The rubric's weights add up to %(total)s %%; they must add up to 100 %%.") % {"total": weights},
                code="rubric_weights",
            )
        if not call.matching_rules.exists():
            raise DomainError(_("Add the matching table before publishing the call."), code="matching_table")
    call = call_workflow.move(call, to=C.OPEN, by=by, perm="calls.manage_call", note=note)
    fund_call(call)
    return call


@transaction.atomic
def fund_call(call):
    """The call's pool becomes money in the ledger: its fund, and the pool put into it (an entry of kind
    "fund"). Idempotent: a funded call gets nothing more, unless staff raised its pool since (the difference
    is put in then). Sets `call.fund` and returns the fund."""
    # Locks the call only (PostgreSQL refuses FOR UPDATE of a nullable join), then reads its fund.
    locked = FundingCall.objects.select_for_update(of=("self",)).select_related("fund").get(pk=call.pk)
    fund = locked.fund
    if fund is None:
        fund = Fund.objects.create(name=locked.title[:200])
        locked.fund = fund
        locked.save(update_fields=["fund"])
    missing = locked.pool - ledger.fund_put_in(fund)
    if missing > 0:
        ledger.fund_pool(fund, missing, note=locked.slug)
    fund.refresh_from_db()
    call.fund = fund
    return fund


def _pool_exceeded(call):
    return DomainError(
        _("The grants take more than is left in the pool of “%(call)s”.") % {"call": call.title},
        code="pool_exceeded",
    )


@transaction.atomic
def grant_from_pool(*, call, project, amount, note=""):
    """A grant out of the call's fund to the project, counted in the call's `granted`. The database refuses
    one beyond what is left in the fund (funding_fund_balance_not_negative) or in the pool
    (call_grants_within_pool): DomainError, and nothing of the grant is written."""
    fund = call.fund or fund_call(call)
    try:
        with transaction.atomic():
            entry = ledger.grant_from(fund, project, amount, note=note)
            FundingCall.objects.filter(pk=call.pk).update(granted=F("granted") + int(amount))
    except IntegrityError as exc:
        raise _pool_exceeded(call) from exc
    return entry


@transaction.atomic
def close_call(*, by, call, note=""):
    """Declarations close and the review begins (at the deadline, or staff earlier with a reason)."""
    return call_workflow.move(call, to=C.REVIEW, by=by, perm="calls.manage_call", note=note)


@transaction.atomic
def cancel_call(*, by, call, reason):
    if not reason.strip():
        raise DomainError(_("Say why the call is cancelled."), code="reason")
    return call_workflow.move(call, to=C.CANCELLED, by=by, perm="calls.manage_call", note=reason.strip())


def close_due_calls(now=None):
    """The beat job: open calls past their deadline move to review (idempotent)."""
    now = now or timezone.now()
    due = list(FundingCall.objects.filter(status=C.OPEN, closes_at__lte=now))
    if due:
        with transaction.atomic():
            call_workflow.move_many(due, to=C.REVIEW, note=_("Declarations closed at the deadline."))
    return len(due)


# --- declarations -------------------------------------------------------------------------------


def _member_of(by, organisation):
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Log in as a member of your NGO to declare a project."))
    if organisation.pk not in role_facts(by).organisation_ids:
        raise NotPermitted(_("You can only declare for an organisation you belong to."))


@transaction.atomic
def start_declaration(*, by, call, organisation):
    """A new draft for the NGO; the call must be published (drafts may be started before it opens)."""
    _member_of(by, organisation)
    if organisation.kind != OrganisationKind.NGO:
        raise DomainError(_("Only NGOs declare projects to funding calls."), code="not_ngo")
    if call.status != C.OPEN:
        raise DomainError(_("This call does not take declarations."), code="call_closed")
    declaration = Declaration.objects.create(call=call, organisation=organisation, created_by=by)
    declaration_workflow.start(declaration, by=by)
    return declaration


def _lock(declaration):
    return Declaration.objects.select_for_update().select_related("call", "organisation").get(pk=declaration.pk)


def _editable(by, declaration):
    _member_of(by, declaration.organisation)
    if declaration.status != D.DRAFT:
        raise DomainError(_("A submitted declaration can no longer be changed."), code="not_draft")


@transaction.atomic
def save_draft(*, by, declaration, fields=None, lines=None):
    """Keep what a member typed, whatever state it is in and whenever: nothing is validated but sizes.

    `lines`, when given, replaces the budget lines: dicts of item, amount, requested, self_raised,
    other_sources (fen). Lines a member left half-filled are kept if they have an item or an amount.
    """
    declaration = _lock(declaration)
    _editable(by, declaration)
    for name, value in (fields or {}).items():
        if name in DRAFT_FIELDS:
            setattr(declaration, name, value if value != "" or name != "beneficiaries" else None)
    try:
        declaration.full_clean(exclude=["call", "organisation", "created_by"])
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="invalid") from exc
    declaration.save()
    if lines is not None:
        if len(lines) > MAX_BUDGET_LINES:
            raise DomainError(_("A declaration has at most %(n)s budget lines.") % {"n": MAX_BUDGET_LINES})
        declaration.budget_lines.all().delete()
        DeclarationBudgetLine.objects.bulk_create(
            DeclarationBudgetLine(declaration=declaration, position=i, **_line(line))
            for i, line in enumerate(lines)
            if line.get("item") or line.get("amount")
        )
    return declaration


def _line(line):
    amount = line.get("amount") or 0
    parts = {name: line.get(name) or 0 for name in ("requested", "self_raised", "other_sources")}
    if amount <= 0 or min(parts.values()) < 0:
        raise DomainError(_("Each budget line needs a cost above zero and no negative part."), code="budget_line")
    return {"item": (line.get("item") or "").strip()[:120], "amount": amount, **parts}


@transaction.atomic
def attach_document(*, by, declaration, document, file):
    declaration = _lock(declaration)
    _editable(by, declaration)
    if document not in declaration.call.documents:
        raise DomainError(_("Choose one of the documents the call asks for."), code="document")
    if declaration.attachments.count() >= MAX_ATTACHMENTS:
        raise DomainError(_("A declaration has at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS})
    try:
        check_upload(file, DOCUMENT)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), code="upload") from exc
    name = getattr(file, "name", "") or document
    return DeclarationAttachment.objects.create(
        declaration=declaration, document=document, name=name[-200:], file=file, size=getattr(file, "size", 0)
    )


@transaction.atomic
def remove_document(*, by, attachment):
    declaration = _lock(attachment.declaration)
    _editable(by, declaration)
    attachment.file.delete(save=False)
    attachment.delete()


def missing_for_submit(declaration):
    """What the declaration still lacks, as {field: message}; empty when it may be submitted."""
    missing = {name: _("This field is required.") for name in REQUIRED_ON_SUBMIT if not getattr(declaration, name)}
    lines = list(declaration.budget_lines.all())
    if not lines:
        missing["budget"] = _("Add at least one budget line.")
    for line in lines:
        if line.requested + line.self_raised + line.other_sources != line.amount:
            missing["budget"] = _(
                "On the line “%(item)s” the parts (asked of the call, raised by the NGO, other sources) must add "
                "up to its cost."
            ) % {"item": line.item}
            break
    attached = {a.document for a in declaration.attachments.all()}
    absent = [doc for doc in declaration.call.documents if doc not in attached]
    if absent:
        missing["attachments"] = _("Attach: %(documents)s.") % {"documents": "、".join(absent)}
    return missing


def eligibility_problems(call, organisation, today=None):
    """Why the organisation may not declare to the call (empty: it may)."""
    from django.apps import apps

    today = today or timezone.localdate()
    problems = []
    if organisation.kind != OrganisationKind.NGO:
        problems.append(_("Only NGOs declare projects to funding calls."))
    if call.verified_only and organisation.verification_status != VerificationStatus.VERIFIED:
        problems.append(_("Staff must verify your organisation before it can declare."))
    if not _serves(organisation, call.region):
        problems.append(_("Your organisation does not serve %(region)s.") % {"region": call.region})
    if call.max_active_projects is not None:
        running = (
            apps.get_model("projects", "Project")
            .objects.filter(implementer=organisation, status__in=RUNNING_PROJECT_STATUSES)
            .count()
        )
        if running >= call.max_active_projects:
            problems.append(
                _("Your organisation runs %(running)s projects; this call admits NGOs running fewer than %(max)s.")
                % {"running": running, "max": call.max_active_projects}
            )
    if call.min_years_registered:
        registered = organisation.registered_on
        if registered is None:
            problems.append(_("Add your organisation's registration date to its profile."))
        elif _years_between(registered, today) < call.min_years_registered:
            problems.append(
                _("This call admits NGOs registered for at least %(years)s years.")
                % {"years": call.min_years_registered}
            )
    return problems


def _serves(organisation, region):
    """The organisation is based in the call's area, or serves a part of it or the whole of it."""
    regions = [organisation.region, *organisation.service_regions.all()]
    return any(r is not None and (region.contains(r) or r.contains(region)) for r in regions)


def _years_between(start, end):
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


@transaction.atomic
def submit_declaration(*, by, declaration):
    """Submit a complete draft while the call takes declarations and the NGO is eligible.

    Refused past the deadline with the draft left as it is, so nothing typed is lost.
    """
    declaration = _lock(declaration)
    _editable(by, declaration)
    call = FundingCall.objects.select_for_update().get(pk=declaration.call_id)
    if not call.accepting():
        if call.status == C.OPEN and timezone.now() < call.opens_at:
            message = _("Declarations open on %(when)s. Your draft is kept.")
            when = timezone.localtime(call.opens_at)
        else:
            message = _("Declarations closed on %(when)s. Your draft is kept, but it can no longer be submitted.")
            when = timezone.localtime(call.closes_at)
        raise DomainError(message % {"when": when.strftime("%Y-%m-%d %H:%M")}, code="deadline")
    problems = eligibility_problems(call, declaration.organisation)
    if problems:
        raise DomainError(" ".join(str(p) for p in problems), code="not_eligible")
    missing = missing_for_submit(declaration)
    if missing:
        error = DomainError(_("The declaration is not complete yet."), code="incomplete")
        error.fields = missing
        raise error
    return declaration_workflow.move(declaration, to=D.SUBMITTED, by=by, perm="calls.submit_declaration")


@transaction.atomic
def withdraw_declaration(*, by, declaration, note=""):
    """Withdraw a submitted declaration before the deadline."""
    declaration = _lock(declaration)
    if not declaration.call.accepting():
        raise DomainError(_("The deadline has passed: the declaration can no longer be withdrawn."), code="deadline")
    return declaration_workflow.move(
        declaration, to=D.WITHDRAWN, by=by, perm="calls.withdraw_declaration", note=note.strip()
    )


def years_registered(organisation, today=None):
    if organisation.registered_on is None:
        return None
    return _years_between(organisation.registered_on, today or date.today())
