from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "deliberation.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self):
        from deliberation.votes.services import count_present_with
        from portal.comments.registry import Commentable, register

        from . import search_documents
        from .electorate import checked_in_electors

        count_present_with(checked_in_electors)
        search_documents.register()

        # Residents discuss each agenda item before the meeting (事前问政): those of the council's region.
        register(
            Commentable(
                "agenda-item",
                "meetings.AgendaItem",
                lambda user, item: user.has_perm("meetings.view_meeting", item.meeting),
                region=lambda item: item.meeting.council.region,
            )
        )
