"""Every change to a project's status happens here, through the shared workflow.

Projects know nothing of needs: other apps hear of a move through the
`project_moved` signal (the needs app closes the merged needs of a completed
project and tells their residents). Once committed, an edit is announced as the
`project.changed` event and a move as `status.moved` (`portal.core.events`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import events
from portal.core.transitions import Workflow

from .models import TRANSITIONS, BudgetLine, InKindItem, Project, ProjectStatus

P = ProjectStatus

# Sent inside the move's transaction: (sender=Project, project=, previous=, by=).
project_moved = Signal()

workflow = Workflow(
    model=Project,
    transitions=TRANSITIONS,
    stamps={P.PUBLISHED: "published_at", P.FUNDED: "funded_at", P.COMPLETED: "completed_at"},
    audit="project",
)


@transaction.atomic
def move_project(*, by, project, to, note=""):
    """Publish, fund, start, complete, evaluate or withdraw a project. Idempotent.

    `by=None` is the system (funding reaching the target); otherwise staff of the project's region.
    """

    def after(moved, previous):
        project_moved.send(sender=Project, project=moved, previous=previous, by=by)

    return workflow.move(project, to=to, by=by, perm="projects.change_project_status", note=note, after=after)


def check_region(by, region):
    """Staff write projects for their own area only."""
    from portal.accounts.roles import ADMINISTRATIVE_ROLES, in_scope

    if by is not None and not by.is_superuser and not in_scope(by, region, ADMINISTRATIVE_ROLES):
        raise ValidationError({"region": _("You can only write projects for your own area.")})


@transaction.atomic
def create_project(*, by, title, category, region, summary="", budget_lines=None, in_kind_items=None, **fields):
    """A draft project (from merged needs or from scratch), on its timeline from the start.

    `fields` are further Project fields (description, budget, target, dates, the modes wanted...);
    `budget_lines` and `in_kind_items` lists of dicts for the project's lines.
    """
    check_region(by, region)
    project = Project(title=title, summary=summary, category=category, region=region, created_by=by, **fields)
    project.full_clean(exclude={"created_by"})
    project.save()
    _replace_lines(project, budget_lines, in_kind_items)
    workflow.start(project, by=by)
    return project


EDITABLE = {
    "title", "summary", "description", "category", "region", "budget", "target", "funding_deadline",
    "implementer", "starts_on", "ends_on", "beneficiaries", "beneficiary_count",
    "wants_funds", "wants_implementer", "wants_in_kind", "wants_volunteers",
}  # fmt: skip


@transaction.atomic
def update_project(*, by, project, budget_lines=None, in_kind_items=None, **changes):
    """Edit a project's description, money and lines; its status moves only through `move_project`."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if "region" in changes:
        check_region(by, changes["region"])
    for name, value in changes.items():
        setattr(project, name, value)
    project.full_clean(exclude={"created_by"})
    project.save()
    _replace_lines(project, budget_lines, in_kind_items)
    # Pages showing the project (books, the home page) hear of it after the commit.
    events.emit("project.changed", project)
    return project


def _replace_lines(project, budget_lines, in_kind_items):
    if budget_lines is not None:
        project.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(project=project, position=i, **line) for i, line in enumerate(budget_lines)
        )
    if in_kind_items is not None:
        project.in_kind_items.all().delete()
        InKindItem.objects.bulk_create(InKindItem(project=project, **item) for item in in_kind_items)


ASSIGNABLE = (P.DRAFT, P.PUBLISHED, P.FUNDED)


@transaction.atomic
def assign_project(*, by, project, organisation, authority, reason):
    """Staff of the project's area hand it to an NGO directly (党政部门交办), recording the authority that
    assigned it and why. The NGO becomes its implementer; the project stops asking for one."""
    from portal.core.errors import DomainError
    from portal.core.transitions import NotPermitted
    from portal.organisations.models import OrganisationKind, VerificationStatus

    if by is not None and not by.has_perm("projects.change_project", project):
        raise NotPermitted(_("Only staff of the project's area assign it."))
    project = Project.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.status not in ASSIGNABLE:
        raise DomainError(_("Only a project not yet under way can be assigned."), code="not_assignable")
    if organisation.kind != OrganisationKind.NGO or organisation.verification_status != VerificationStatus.VERIFIED:
        raise DomainError(_("A project is assigned to a verified NGO."), code="not_verified_ngo")
    authority, reason = authority.strip(), reason.strip()
    if not authority or not reason:
        raise DomainError(_("Say which authority assigns it and why."), code="reason")
    project.implementer = organisation
    project.wants_implementer = False
    project.assigned_by, project.assignment_reason, project.assigned_at = authority, reason, timezone.now()
    project.save(
        update_fields=[
            "implementer",
            "wants_implementer",
            "assigned_by",
            "assignment_reason",
            "assigned_at",
            "updated_at",
        ]
    )
    workflow.annotate(project, by=by, note=f"{authority} → {organisation.name}: {reason}")  # as staff wrote it
    events.emit("project.changed", project)
    return project
