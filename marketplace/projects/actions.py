"""What can be done to a project's status: each move once, for the project page and the API alike.

The page's "Move to" form and the API's `move` (POST /api/projects/<pk>/move/ with a `status`) take the
status to move to and run the action of this table that leads there, with its permission.
"""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer

from . import services
from .models import ProjectStatus as P


def _move(to):
    return lambda by, project, d: services.move_project(by=by, project=project, to=to, note=d.get("note", ""))


PROJECT_ACTIONS = ActionTable(
    [
        Action(
            "publish",
            perm="projects.change_project_status",
            target=P.PUBLISHED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=_move(P.PUBLISHED),
            done=_("The project is published."),
            description="Publish a draft: residents see it and, if it asks for money, may give.",
        ),
        Action(
            "fund",
            perm="projects.change_project_status",
            target=P.FUNDED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=_move(P.FUNDED),
            done=_("The project is funded."),
            description="Mark the project funded (the ledger does it itself when gifts reach the target).",
        ),
        Action(
            "start",
            perm="projects.change_project_status",
            target=P.IN_PROGRESS,
            form=NoteForm,
            serializer=NoteSerializer,
            run=_move(P.IN_PROGRESS),
            done=_("The project is under way."),
        ),
        Action(
            "complete",
            perm="projects.change_project_status",
            target=P.COMPLETED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=_move(P.COMPLETED),
            done=_("The project is completed."),
            description="Complete the project; the residents of its merged needs are told.",
        ),
        Action(
            "evaluate",
            perm="projects.change_project_status",
            target=P.EVALUATED,
            form=NoteForm,
            serializer=NoteSerializer,
            run=_move(P.EVALUATED),
            done=_("The project is evaluated."),
        ),
        Action(
            "withdraw",
            perm="projects.change_project_status",
            target=P.WITHDRAWN,
            form=NoteForm,
            serializer=NoteSerializer,
            run=_move(P.WITHDRAWN),
            done=_("The project is withdrawn."),
            description="Withdraw the project; waiting pledges are cancelled and donors of counted gifts asked.",
        ),
    ],
    workflow=services.workflow,
)
