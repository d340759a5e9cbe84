from django.urls import include, path
from rest_framework.routers import DefaultRouter

from deliberation.councils.api import CouncilViewSet
from deliberation.meetings.api import AgendaItemViewSet, MeetingViewSet, MinutesViewSet, RegistrationViewSet
from deliberation.topics.api import TopicViewSet
from deliberation.votes.api import BallotViewSet, VoteViewSet
from marketplace.adoptions.api import AdoptionViewSet, BidViewSet
from marketplace.funding.api import DeadlineChoiceViewSet, LedgerViewSet, PaymentViewSet
from marketplace.gridlogs.api import GridLogViewSet
from marketplace.needs.api import DepartmentViewSet, NeedViewSet, ServiceLevelViewSet
from marketplace.projects.api import ProjectViewSet
from portal.accounts.api import MeView
from portal.api.auth import ObtainTokenView
from portal.comments.api import CommentViewSet
from portal.core.converters import IdConverter
from portal.organisations.api import OrganisationViewSet
from portal.pages.api import NoticeViewSet, ProjectBookViewSet
from portal.regions.api import RegionViewSet


class Router(DefaultRouter):
    """Detail routes take database ids only (1–18 digits): anything else is a 404, never a query."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = IdConverter.regex


router = Router()
router.register("regions", RegionViewSet, basename="region")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("needs", NeedViewSet, basename="need")
router.register("departments", DepartmentViewSet, basename="department")
router.register("service-levels", ServiceLevelViewSet, basename="service-level")
router.register("adoptions", AdoptionViewSet, basename="adoption")
router.register("bids", BidViewSet, basename="bid")
router.register("grid-logs", GridLogViewSet, basename="grid-log")
router.register("notices", NoticeViewSet, basename="notice")
router.register("project-books", ProjectBookViewSet, basename="project-book")
router.register("projects", ProjectViewSet, basename="project")
router.register("payments", PaymentViewSet, basename="payment")
router.register("ledger", LedgerViewSet, basename="ledger-entry")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("votes", VoteViewSet, basename="vote")
router.register("ballots", BallotViewSet, basename="ballot")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("deadline-choices", DeadlineChoiceViewSet, basename="deadline-choice")
router.register("comments", CommentViewSet, basename="comment")
router.register("councils", CouncilViewSet, basename="council")
router.register("topics", TopicViewSet, basename="topic")

urlpatterns = [
    path("me/", MeView.as_view(), name="me"),
    path("auth/token/", ObtainTokenView.as_view(), name="api_token"),
    path("", include(router.urls)),
]
