"""What can be done to a project's status: each move once, for the project page and the API alike.

The page's "Move to" form and the API's `move` (POST /api/projects/<pk>/move/ with a `status`) take the
status to move to and run the action of this table that leads there, with its permission.
"""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer

from . import services
from .models import ProjectStatus as P


def _move(name, to, done, description=""):
    """Every move of a project is the same action: staff's status permission, an optional note."""
    return Action(
        name,
        perm="projects.change_project_status",
        target=to,
        form=NoteForm,
        serializer=NoteSerializer,
        run=lambda by, project, d: services.move_project(by=by, project=project, to=to, note=d.get("note", "")),
        done=done,
        description=description,
    )


PROJECT_ACTIONS = ActionTable(
    [
        _move(
            "publish",
            P.PUBLISHED,
            _("The project is published."),
            "Publish a draft: residents see it and, if it asks for money, may give.",
        ),
        _move(
            "fund",
            P.FUNDED,
            _("The project is funded."),
            "Mark the project funded (the ledger does it itself when gifts reach the target).",
        ),
        _move("start", P.IN_PROGRESS, _("The project is under way.")),
        _move(
            "complete",
            P.COMPLETED,
            _("The project is completed."),
            "Complete the project; the residents of its merged needs are told.",
        ),
        _move("evaluate", P.EVALUATED, _("The project is evaluated.")),
        _move(
            "withdraw",
            P.WITHDRAWN,
            _("The project is withdrawn."),
            "Withdraw the project; waiting pledges are cancelled and donors of counted gifts asked.",
        ),
    ],
    workflow=services.workflow,
)
