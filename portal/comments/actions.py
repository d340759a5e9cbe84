"""What can be done to a comment once written: each action once, for the pages and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import services
from .forms import HideForm, ReportForm
from .models import CommentStatus as C
from .serializers import HideSerializer, ReportSerializer

COMMENT_ACTIONS = ActionTable(
    [
        Action(
            "report",
            perm="comments.report_comment",
            when=lambda c: not c.is_hidden,
            form=ReportForm,
            serializer=ReportSerializer,
            run=lambda by, c, d: services.report_comment(by=by, comment=c, reason=d.get("reason", "")),
            done=_("Thank you. A moderator will look at this comment."),
            description="Ask the moderators to look at a comment (once per person).",
        ),
        Action(
            "hide",
            perm="comments.hide_comment",
            target=C.HIDDEN,
            form=HideForm,
            serializer=HideSerializer,
            run=lambda by, c, d: services.hide_comment(by=by, comment=c, reason=d["reason"]),
            done=_("The comment is hidden; its author has been told why."),
            description="A moderator hides a comment, with a reason its author is told.",
        ),
        Action(
            "dismiss",
            perm="comments.hide_comment",
            when=lambda c: not c.is_hidden,
            run=lambda by, c, d: services.dismiss_reports(by=by, comment=c),
            done=_("The reports are closed; the comment stays."),
            description="A moderator closes the reports on a comment and keeps it.",
        ),
    ],
    workflow=services.comment_workflow,
)
