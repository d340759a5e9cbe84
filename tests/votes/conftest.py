from types import SimpleNamespace

import pytest

from deliberation.councils.models import MemberRole
from deliberation.votes import services
from deliberation.votes.models import ElectorateKind, QuestionKind
from portal.accounts.models import Role
from tests.factories import UserFactory, grant
from tests.factories.meetings import agenda_item, council, meeting, seat


@pytest.fixture
def hall(people, tree):
    """A council of community A1 with a chair (account), three members with accounts and one without."""
    h = SimpleNamespace(people=people, tree=tree)
    h.council = council(tree.community_a1)
    h.chair = UserFactory(username="chair")
    seat(h.council, h.chair, role=MemberRole.CHAIR)
    h.members = [UserFactory(username=f"member{i}") for i in range(3)]
    for user in h.members:
        seat(h.council, user)
    h.offline_member = seat(h.council, None, name="王阿姨")
    h.meeting = meeting(h.council)
    h.item = agenda_item(h.meeting)
    return h


@pytest.fixture
def make_vote(hall):
    def make(**fields):
        values = {
            "by": hall.chair,
            "question": "是否同意周六统一清理楼道堆物？",
            "kind": QuestionKind.FOR_AGAINST,
            "electorate": ElectorateKind.MEMBERS,
            "agenda_item": hall.item,
        }
        values.update(fields)
        return services.create_vote(**values)

    return make


@pytest.fixture
def residents(tree):
    return [grant(UserFactory(username=f"res{i}"), Role.RESIDENT, tree.community_a1) for i in range(4)]
