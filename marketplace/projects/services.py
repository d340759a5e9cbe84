"""Every change to a project's status happens here, through the shared workflow.

Projects know nothing of needs: other apps hear of a move through the
`project_moved` signal (the needs app closes the merged needs of a completed
project and tells their residents).
"""

from django.db import transaction
from django.dispatch import Signal

from portal.core.transitions import Workflow

from .models import TRANSITIONS, Project, ProjectStatus

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


@transaction.atomic
def create_project(*, by, title, category, region, summary=""):
    """A draft project (from merged needs or from scratch), on its timeline from the start."""
    project = Project.objects.create(title=title, summary=summary, category=category, region=region, created_by=by)
    workflow._record(project, by=by, from_status="", to_status=P.DRAFT, note="", at=project.created_at)
    return project
