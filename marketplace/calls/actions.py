"""What can be done to a call and to a declaration: each action once, for the pages and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer, ReasonForm, ReasonSerializer

from . import services
from .models import CallStatus as C
from .models import DeclarationStatus as D

CALL_ACTIONS = ActionTable(
    [
        Action(
            "publish",
            perm="calls.manage_call",
            target=C.OPEN,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, c, d: services.publish_call(by=by, call=c, note=d.get("note", "")),
            done=_("The call is published."),
            description="Staff of the call's area publish a draft call (its rubric's weights must add up to 100).",
        ),
        Action(
            "close",
            perm="calls.manage_call",
            target=C.REVIEW,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, c, d: services.close_call(by=by, call=c, note=d.get("note", "")),
            done=_("Declarations are closed; the review can begin."),
            description="Staff close declarations and start the review (the deadline does this by itself).",
        ),
        Action(
            "cancel",
            perm="calls.manage_call",
            target=C.CANCELLED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, c, d: services.cancel_call(by=by, call=c, reason=d["note"]),
            done=_("The call is cancelled."),
            description="Staff cancel the call, with a reason, before its results take effect.",
        ),
    ],
    workflow=services.call_workflow,
)

DECLARATION_ACTIONS = ActionTable(
    [
        Action(
            "submit",
            perm="calls.submit_declaration",
            target=D.SUBMITTED,
            run=lambda by, d, data: services.submit_declaration(by=by, declaration=d),
            done=_("Your declaration is submitted. You can withdraw it until the deadline."),
            description="A member of the NGO submits a complete draft while the call takes declarations; the "
            "organisation must be eligible. Refused past the deadline (the draft is kept).",
        ),
        Action(
            "withdraw",
            perm="calls.withdraw_declaration",
            target=D.WITHDRAWN,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, d, data: services.withdraw_declaration(by=by, declaration=d, note=data.get("note", "")),
            done=_("Your declaration is withdrawn."),
            description="A member of the NGO withdraws a submitted declaration before the deadline.",
        ),
    ],
    workflow=services.declaration_workflow,
)
