import rules

from portal.accounts.models import Role
from portal.accounts.roles import REGIONAL_STAFF_ROLES, in_scope, is_resident_of, role_facts
from portal.accounts.rules import owner_predicate

# Who triages (accept, reject, dispatch, refer, merge): community, street and district staff.
TRIAGE_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF})


is_submitter = owner_predicate("submitted_by_id", "is_submitter")


@rules.predicate
def is_regional_staff_of(user, need):
    """Grid workers and community/street/district staff whose subtree holds the need."""
    return need is not None and in_scope(user, need.region, REGIONAL_STAFF_ROLES)


@rules.predicate
def is_triage_staff_of(user, need):
    return need is not None and in_scope(user, need.region, TRIAGE_ROLES)


@rules.predicate
def is_handling_department(user, need):
    return (
        need is not None
        and need.department_id is not None
        and need.department_id in role_facts(user).verified_organisation_ids
    )


@rules.predicate
def is_verified_resident_of(user, need):
    """A resident whose residence staff have verified, in the community the need is in.

    Filing a need stays open to any account (as the hotline is); what counts residents
    (supports, and later votes and registrations) counts verified residents of the place only.
    """
    return need is not None and is_resident_of(user, need.region)


@rules.predicate
def is_regional_staff(user):
    from portal.accounts.roles import has_role

    return has_role(user, *REGIONAL_STAFF_ROLES)


@rules.predicate
def is_public_need(user, need):
    from .models import PUBLIC_STATUSES

    return need is not None and need.status in PUBLIC_STATUSES


rules.add_perm("needs.add_need", rules.is_authenticated)
rules.add_perm("needs.enter_need", is_regional_staff | rules.is_superuser)
# Keep in step with NeedQuerySet.visible_to (a test checks they agree for every role).
can_see_need = is_public_need | is_submitter | is_regional_staff_of | is_handling_department | rules.is_superuser
rules.add_perm("needs.view_need", can_see_need)
rules.add_perm(
    "needs.view_need_private",
    is_submitter | is_regional_staff_of | is_handling_department | rules.is_superuser,
)
rules.add_perm("needs.triage_need", is_triage_staff_of | rules.is_superuser)
rules.add_perm("needs.answer_need", is_handling_department | is_triage_staff_of | rules.is_superuser)
rules.add_perm("needs.rate_need", is_submitter | is_regional_staff_of | rules.is_superuser)
rules.add_perm("needs.support_need", is_verified_resident_of & ~is_submitter)
# The resident adds details to their own need (what they were about to file again).
rules.add_perm("needs.add_to_need", is_submitter)
rules.add_perm("needs.view_queue", is_regional_staff | rules.is_superuser)
