"""What can be done to a meeting, a registration and a follow-up action: each action once, for the pages and
the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable
from portal.core.notes import NoteForm, NoteSerializer, ReasonForm, ReasonSerializer

from . import services
from .models import FollowUpStatus as F
from .models import MeetingStatus as S
from .models import RegistrationStatus as R

MEETING_ACTIONS = ActionTable(
    [
        Action(
            "announce",
            perm="meetings.manage_meeting",
            target=S.ANNOUNCED,
            run=lambda by, m, d: services.announce_meeting(by=by, meeting=m),
            done=_("The meeting is announced; the council's members have been told."),
            description="Publish the meeting and its agenda; refused with less notice than the council requires.",
        ),
        Action(
            "close_registration",
            perm="meetings.manage_meeting",
            target=S.REGISTRATION_CLOSED,
            run=lambda by, m, d: services.close_registration(by=by, meeting=m),
            done=_("Registration is closed; everyone registered has been told their result."),
            description="Close registration; with more people than seats the public draw decides.",
        ),
        Action(
            "hold",
            perm="meetings.manage_meeting",
            target=S.HELD,
            run=lambda by, m, d: services.hold_meeting(by=by, meeting=m),
            done=_("The meeting is marked as held; write its minutes."),
            description="Mark the meeting as held.",
        ),
        Action(
            "publish_minutes",
            perm="meetings.manage_meeting",
            target=S.MINUTES_PUBLISHED,
            run=lambda by, m, d: services.publish_minutes(by=by, meeting=m),
            done=_("The minutes and decisions are published."),
            description="Publish the minutes; topics on the agenda are closed with their decision.",
        ),
        Action(
            "cancel",
            perm="meetings.manage_meeting",
            target=S.CANCELLED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, m, d: services.cancel_meeting(by=by, meeting=m, reason=d["note"]),
            done=_("The meeting is cancelled; everyone registered has been told."),
            description="Cancel the meeting with a reason; its topics go back to the queue.",
        ),
    ],
    workflow=services.meeting_workflow,
)

REGISTRATION_ACTIONS = ActionTable(
    [
        Action(
            "cancel",
            perm="meetings.cancel_registration",
            target=R.CANCELLED,
            run=lambda by, r, d: services.cancel_registration(by=by, registration=r),
            done=_("The registration is cancelled."),
            description="Cancel a registration; a confirmed seat goes to the first on the waiting list.",
        ),
    ],
    workflow=services.registration_workflow,
)

FOLLOW_UP_ACTIONS = ActionTable(
    [
        Action(
            "complete",
            perm="meetings.manage_meeting",
            target=F.DONE,
            form=NoteForm,
            serializer=NoteSerializer,
            run=lambda by, a, d: services.complete_follow_up(by=by, action=a, note=d.get("note", "")),
            done=_("The follow-up action is done."),
            description="The council's chair or staff of its area mark a follow-up action done.",
        ),
        Action(
            "drop",
            perm="meetings.manage_meeting",
            target=F.DROPPED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, a, d: services.drop_follow_up(by=by, action=a, reason=d["note"]),
            done=_("The follow-up action is dropped."),
            description="The chair drops a follow-up action that will not be done, with a reason.",
        ),
    ],
    workflow=services.follow_up_workflow,
)
