import pytest

from portal.accounts.models import Role
from portal.accounts.roles import in_scope, scope_regions
from portal.regions.models import Region, subtree_q
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_subtree_contains_descendants_and_not_siblings(tree):
    within_a = set(Region.objects.within(tree.street_a).values_list("code", flat=True))
    assert within_a == {"D01", "D0101", "D0102", "D010101", "D01010101"}
    assert tree.street_a.contains(tree.sub_grid_a1)
    assert not tree.street_a.contains(tree.community_b1)


def test_street_staff_act_only_in_their_street(tree):
    staff = grant(UserFactory(), Role.STREET_STAFF, tree.street_a)
    assert in_scope(staff, tree.grid_a1)
    assert in_scope(staff, tree.street_a)
    assert not in_scope(staff, tree.community_b1)
    assert not in_scope(staff, tree.district)


def test_district_staff_act_everywhere(tree):
    staff = grant(UserFactory(), Role.DISTRICT_STAFF, tree.district)
    assert all(in_scope(staff, r) for r in Region.objects.all())


def test_residents_have_no_staff_scope(tree):
    resident = grant(UserFactory(), Role.RESIDENT, tree.community_a1)
    assert scope_regions(resident) == []
    assert not in_scope(resident, tree.community_a1)


def test_subtree_q_filters_rows_by_region(tree):
    q = subtree_q([tree.street_b], field="")
    assert set(Region.objects.filter(q).values_list("code", flat=True)) == {"D02", "D0201", "D020101"}
    assert not Region.objects.filter(subtree_q([], field="")).exists()
