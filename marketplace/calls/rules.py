"""Who may run a call and who may see, fill in, submit and withdraw a declaration.

Keep the view rules in step with the `visible_to` querysets (tests/test_visibility.py checks them).
"""

import rules

from portal.accounts.models import Role
from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role, in_scope, role_facts
from portal.accounts.rules import owner_predicate


def _call_of(record):
    """The call a call, a declaration, a review or an award belongs to."""
    from .models import FundingCall

    if isinstance(record, FundingCall):
        return record
    if hasattr(record, "declaration_id") and not hasattr(record, "call_id"):
        record = record.declaration
    return getattr(record, "call", None)


@rules.predicate
def is_staff_of_call_region(user, record):
    """Community, street or district staff whose area holds the call (of the declaration, review or award)."""
    call = _call_of(record) if record is not None else None
    return call is not None and in_scope(user, call.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_member_of_declaring_ngo(user, declaration):
    organisation_id = getattr(declaration, "organisation_id", None)
    return organisation_id is not None and organisation_id in role_facts(user).organisation_ids


@rules.predicate
def is_past_draft(user, declaration):
    from .models import Declaration

    return isinstance(declaration, Declaration) and declaration.status != "draft"


@rules.predicate
def is_ngo_member(user):
    return has_role(user, Role.NGO_MEMBER)


@rules.predicate
def is_public_call(user, call):
    from .models import PUBLIC_CALL_STATUSES, FundingCall

    return isinstance(call, FundingCall) and call.status in PUBLIC_CALL_STATUSES


rules.add_perm("calls.view_call", is_public_call | is_staff_of_call_region | rules.is_superuser)
rules.add_perm("calls.manage_call", is_staff_of_call_region | rules.is_superuser)
# Starting a draft: a member of an NGO (the service checks which organisation and the call).
rules.add_perm("calls.add_declaration", is_ngo_member | rules.is_superuser)


@rules.predicate
def reviews_it(user, declaration):
    """An assigned reviewer of the declaration (not one excluded from it)."""
    from .models import AssignmentStatus, Declaration, ReviewAssignment

    if not isinstance(declaration, Declaration) or declaration.pk is None or not user.is_authenticated:
        return False
    return (
        ReviewAssignment.objects.filter(declaration=declaration, reviewer=user)
        .exclude(status=AssignmentStatus.EXCLUDED)
        .exists()
    )


rules.add_perm(
    "calls.view_declaration",
    is_member_of_declaring_ngo | (is_staff_of_call_region & is_past_draft) | reviews_it | rules.is_superuser,
)
rules.add_perm("calls.change_declaration", is_member_of_declaring_ngo)
rules.add_perm("calls.submit_declaration", is_member_of_declaring_ngo)
rules.add_perm("calls.withdraw_declaration", is_member_of_declaring_ngo)


is_the_reviewer = owner_predicate("reviewer_id", "is_the_reviewer")


rules.add_perm("calls.view_review", is_the_reviewer | is_staff_of_call_region | rules.is_superuser)
rules.add_perm("calls.score_review", is_the_reviewer)


rules.add_perm("calls.override_award", is_staff_of_call_region | rules.is_superuser)


rules.add_perm("calls.answer_objection", is_staff_of_call_region | rules.is_superuser)
rules.add_perm("calls.add_objection", rules.is_authenticated)
