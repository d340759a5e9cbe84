"""Claims and bids: the only place either changes. Every status move goes through a Workflow.

claim: pending → approved | declined (staff of the project's region, a reason to decline),
pending → withdrawn (the claimant). bid: submitted → selected | not_selected (staff, with a
reason), submitted → withdrawn (the NGO). Selecting a bid makes its NGO the project's
implementer, records an approved claim in "run" mode and tells every bidder why.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from marketplace.projects.models import Project, ProjectStatus
from portal.accounts.roles import role_facts
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.core.uploads import DOCUMENT, check_upload
from portal.notifications.services import notify
from portal.organisations.models import OrganisationKind

from .models import (
    ADOPTION_TRANSITIONS,
    BID_TRANSITIONS,
    LIVE_BID_STATUSES,
    MODE_WANTED,
    Adoption,
    AdoptionMode,
    AdoptionStatus,
    Bid,
    BidAttachment,
    BidOpinion,
    BidStatus,
)

A, B, M = AdoptionStatus, BidStatus, AdoptionMode
MAX_ATTACHMENTS = 5
# A bid may be chosen while the project still looks for its money, or once it has it.
SELECTABLE_PROJECT_STATUSES = (ProjectStatus.PUBLISHED, ProjectStatus.FUNDED)

adoption_workflow = Workflow(
    model=Adoption,
    transitions=ADOPTION_TRANSITIONS,
    stamps={A.APPROVED: "decided_at", A.DECLINED: "decided_at", A.WITHDRAWN: "withdrawn_at"},
    audit="adoption",
)
bid_workflow = Workflow(
    model=Bid,
    transitions=BID_TRANSITIONS,
    stamps={B.SELECTED: "decided_at", B.NOT_SELECTED: "decided_at", B.WITHDRAWN: "withdrawn_at"},
    audit="bid",
)

MODE_NOT_WANTED = {
    M.FUND: gettext_lazy("This project does not ask for funding."),
    M.RUN: gettext_lazy("This project does not look for an organisation to run it."),
    M.IN_KIND: gettext_lazy("This project does not ask for gifts in kind."),
    M.VOLUNTEER: gettext_lazy("This project does not ask for volunteers."),
}
CLAIM_DECIDED = {
    A.APPROVED: gettext_lazy("Your claim on “%(project)s” is approved."),
    A.DECLINED: gettext_lazy("Your claim on “%(project)s” was declined."),
}
BID_DECIDED = {
    B.SELECTED: gettext_lazy("Your bid to run “%(project)s” is selected."),
    B.NOT_SELECTED: gettext_lazy("Your bid to run “%(project)s” was not selected."),
}


def _signed_in(by):
    if not getattr(by, "is_authenticated", False):
        raise NotPermitted(_("Log in to take part in a project."))


def _lock_project(project):
    return Project.objects.select_for_update(of=("self",)).get(pk=project.pk)


def _check_organisation(by, organisation):
    """The claimant acts for a verified organisation they belong to."""
    facts = role_facts(by)
    if organisation.pk not in facts.organisation_ids:
        raise NotPermitted(_("You can only act for an organisation you belong to."))
    if organisation.pk not in facts.verified_organisation_ids:
        raise DomainError(
            _("%(name)s is awaiting verification; it can take part once staff have verified it.")
            % {"name": organisation.display_name},
            code="organisation_unverified",
        )


# --- claims ---------------------------------------------------------------


@transaction.atomic
def claim_project(
    *,
    by,
    project,
    mode,
    organisation=None,
    amount=0,
    covers_gap=False,
    in_kind_item=None,
    item_description="",
    quantity=0,
    estimated_value=0,
    hours=0,
    skills="",
    message="",
):
    """Claim a published project in one of the ways it asks for. Returns the pending claim.

    Running a project is claimed by a bid (`submit_bid`), not here.
    """
    _signed_in(by)
    project = _lock_project(project)
    if not project.open_to_claim:
        raise DomainError(_("This project is not open to claims."), code="not_open")
    if mode not in MODE_WANTED:
        raise DomainError(_("Choose how you want to take part."), code="mode")
    if mode == M.RUN:
        raise DomainError(_("An NGO offers to run a project by submitting a bid."), code="run_by_bid")
    if not getattr(project, MODE_WANTED[mode]):
        raise DomainError(str(MODE_NOT_WANTED[mode]), code="mode_not_wanted")
    if organisation is not None:
        _check_organisation(by, organisation)
    fields = {}
    if mode == M.FUND:
        if covers_gap:
            amount = project.funding_gap
            if not amount:
                raise DomainError(_("This project's funding target is already reached."), code="no_gap")
        if not amount or amount <= 0:
            raise DomainError(_("Enter the amount you pledge."), code="amount")
        fields = {"amount": amount, "covers_gap": bool(covers_gap)}
    elif mode == M.IN_KIND:
        if in_kind_item is not None and in_kind_item.project_id != project.pk:
            raise DomainError(_("Choose one of the items this project asks for."), code="item")
        if in_kind_item is None and not item_description.strip():
            raise DomainError(_("Choose an item, or say what you give."), code="item")
        if not quantity or quantity <= 0:
            raise DomainError(_("Enter how many you give."), code="quantity")
        if estimated_value < 0:
            raise DomainError(_("Enter an estimated value of zero or more."), code="value")
        fields = {
            "in_kind_item": in_kind_item,
            "item_description": item_description.strip(),
            "quantity": quantity,
            "estimated_value": estimated_value,
        }
    elif mode == M.VOLUNTEER:
        if not hours or hours <= 0:
            raise DomainError(_("Enter how many hours you offer."), code="hours")
        fields = {"hours": hours, "skills": skills.strip()}
    adoption = Adoption.objects.create(
        project=project, claimant=by, organisation=organisation, mode=mode, message=message.strip(), **fields
    )
    adoption_workflow.start(adoption, by=by)
    return adoption


def _tell_claimant(adoption, previous):
    message = CLAIM_DECIDED.get(adoption.status)
    if message is None:
        return
    from .messages import CLAIM

    notify(
        users=[adoption.claimant],
        message=CLAIM[adoption.status],
        params={"project": adoption.project.title, "reason": adoption.decision_reason or ""},
        url=adoption.get_absolute_url(),
    )


def _decide(*, by, adoption, to, reason, after=_tell_claimant):
    def apply(a, now):
        a.decided_by = by if getattr(by, "pk", None) else None
        a.decision_reason = reason

    return adoption_workflow.move(
        adoption, to=to, by=by, perm="adoptions.decide_adoption", note=reason, apply=apply, after=after
    )


@transaction.atomic
def approve_adoption(*, by, adoption, note=""):
    """Staff of the project's region approve a pending claim; the claimant is told."""
    if (
        adoption.status == A.PENDING
        and not Project.objects.filter(pk=adoption.project_id, status=ProjectStatus.PUBLISHED).exists()
    ):
        raise DomainError(_("The project is no longer open to claims: decline this claim instead."), code="not_open")
    return _decide(by=by, adoption=adoption, to=A.APPROVED, reason=note.strip())


@transaction.atomic
def decline_adoption(*, by, adoption, reason):
    """Staff decline a pending claim, saying why; the claimant is told the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the claim is declined: the claimant will read it."), code="reason_required")
    return _decide(by=by, adoption=adoption, to=A.DECLINED, reason=reason)


@transaction.atomic
def withdraw_adoption(*, by, adoption):
    """The claimant takes back a pending claim."""
    return adoption_workflow.move(adoption, to=A.WITHDRAWN, by=by, perm="adoptions.withdraw_adoption")


# --- bids -----------------------------------------------------------------


def check_attachments(files):
    """Raise ValidationError unless every file is a document we accept (by content) and there are not too many."""
    files = list(files or ())
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(_("Attach at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="too_many_files")
    for f in files:
        try:
            check_upload(f, DOCUMENT)
        except ValidationError as exc:
            raise ValidationError(f"{f.name}: {' '.join(exc.messages)}", code=exc.code) from exc
    return files


@transaction.atomic
def submit_bid(*, by, project, organisation, plan, price, timeline, team, track_record="", attachments=()):
    """A verified NGO offers to run a published project that looks for an implementer."""
    _signed_in(by)
    if organisation.kind != OrganisationKind.NGO:
        raise DomainError(_("Only NGOs bid to run projects."), code="not_ngo")
    _check_organisation(by, organisation)
    files = check_attachments(attachments)
    project = _lock_project(project)
    if not project.open_to_claim:
        raise DomainError(_("This project is not open to bids."), code="not_open")
    if not project.wants_implementer:
        raise DomainError(str(MODE_NOT_WANTED[M.RUN]), code="mode_not_wanted")
    if project.bids.filter(status=B.SELECTED).exists():
        raise DomainError(_("An organisation has already been selected to run this project."), code="selected")
    if project.bids.filter(organisation=organisation, status__in=LIVE_BID_STATUSES).exists():
        raise DomainError(
            _("%(name)s has already bid for this project.") % {"name": organisation.display_name}, code="duplicate"
        )
    if not price or price <= 0:
        raise DomainError(_("Enter the price of running the project."), code="price")
    bid = Bid.objects.create(
        project=project,
        organisation=organisation,
        submitted_by=by,
        plan=plan.strip(),
        price=price,
        timeline=timeline.strip(),
        team=team.strip(),
        track_record=track_record.strip(),
    )
    for f in files:
        BidAttachment.objects.create(bid=bid, file=f, name=(getattr(f, "name", "") or "file").rsplit("/", 1)[-1][:120])
    bid_workflow.start(bid, by=by)
    return bid


@transaction.atomic
def withdraw_bid(*, by, bid):
    """The NGO takes back its bid before the selection."""
    return bid_workflow.move(bid, to=B.WITHDRAWN, by=by, perm="adoptions.withdraw_bid")


@transaction.atomic
def record_opinion(*, by, project, representative_name, representative_role, opinion, bid=None):
    """Staff write down what a residents' representative said about the bids."""
    if not by.has_perm("adoptions.compare_bids", project):
        raise NotPermitted()
    if bid is not None and bid.project_id != project.pk:
        raise DomainError(_("That bid is for another project."), code="bid")
    if not (representative_name.strip() and opinion.strip()):
        raise DomainError(_("Enter the representative's name and what they said."), code="opinion")
    return BidOpinion.objects.create(
        project=project,
        bid=bid,
        representative_name=representative_name.strip(),
        representative_role=representative_role.strip(),
        opinion=opinion.strip(),
        recorded_by=by,
    )


def _members(organisation):
    return list(get_user_model().objects.filter(memberships__organisation=organisation, is_active=True).order_by("pk"))


def _tell_bidders(bid, reason):
    from .messages import BID

    notify(
        users=[*_members(bid.organisation), bid.submitted_by],
        message=BID[bid.status],
        params={"project": bid.project.title, "reason": reason or ""},
        url=bid.get_absolute_url(),
    )


@transaction.atomic
def select_bid(*, by, bid, reason):
    """Staff select one bid with a reason: its NGO runs the project, the other bidders are told why.

    Idempotent: selecting the selected bid again changes nothing and tells no one twice.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why this bid is selected: every bidder will read it."), code="reason_required")
    if by is not None and not by.has_perm("adoptions.select_bid", bid):
        raise NotPermitted()
    project = _lock_project(bid.project)  # one selection at a time per project
    current = Bid.objects.get(pk=bid.pk)
    if current.status == B.SELECTED:
        return current
    if project.status not in SELECTABLE_PROJECT_STATUSES:
        raise DomainError(_("This project is no longer open to bids."), code="not_open")
    if project.bids.filter(status=B.SELECTED).exists():
        raise DomainError(_("Another bid has already been selected for this project."), code="selected")

    def apply(b, now):
        b.decision_reason = reason

    try:
        with transaction.atomic():
            selected = bid_workflow.move(
                current, to=B.SELECTED, by=by, perm="adoptions.select_bid", note=reason, apply=apply
            )
    except IntegrityError as exc:  # a selection that raced past the lock above
        raise DomainError(_("Another bid has already been selected for this project."), code="selected") from exc
    others = []
    for other in project.bids.filter(status=B.SUBMITTED).exclude(pk=selected.pk).select_related("organisation"):
        others.append(
            bid_workflow.move(other, to=B.NOT_SELECTED, by=by, perm="adoptions.select_bid", note=reason, apply=apply)
        )
    project.implementer = selected.organisation
    project.save(update_fields=["implementer", "updated_at"])
    # The selected NGO's claim to run the project, approved by the same decision.
    adoption = Adoption.objects.create(
        project=project,
        claimant=selected.submitted_by,
        organisation=selected.organisation,
        mode=M.RUN,
        bid=selected,
    )
    adoption_workflow.start(adoption, by=selected.submitted_by)
    _decide(by=by, adoption=adoption, to=A.APPROVED, reason=reason, after=None)
    selected.project = project
    _tell_bidders(selected, reason)
    for other in others:
        other.project = project
        _tell_bidders(other, reason)
    return selected
