"""Who may run a call and who may see, fill in, submit and withdraw a declaration.

Keep the view rules in step with the `visible_to` querysets (tests/test_visibility.py checks them).
"""

import rules

from portal.accounts.models import Role
from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role, in_scope, role_facts


@rules.predicate
def is_staff_of_call_region(user, record):
    """Community, street or district staff whose area holds the call (of the declaration)."""
    if record is None:
        return False
    call = getattr(record, "call", record)
    return in_scope(user, call.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_member_of_declaring_ngo(user, declaration):
    organisation_id = getattr(declaration, "organisation_id", None)
    return organisation_id is not None and organisation_id in role_facts(user).organisation_ids


@rules.predicate
def is_past_draft(user, declaration):
    return declaration is not None and declaration.status != "draft"


@rules.predicate
def is_ngo_member(user):
    return has_role(user, Role.NGO_MEMBER)


@rules.predicate
def is_public_call(user, call):
    from .models import PUBLIC_CALL_STATUSES

    return call is not None and call.status in PUBLIC_CALL_STATUSES


rules.add_perm("calls.view_call", is_public_call | is_staff_of_call_region | rules.is_superuser)
rules.add_perm("calls.manage_call", is_staff_of_call_region | rules.is_superuser)
# Starting a draft: a member of an NGO (the service checks which organisation and the call).
rules.add_perm("calls.add_declaration", is_ngo_member | rules.is_superuser)
rules.add_perm(
    "calls.view_declaration",
    is_member_of_declaring_ngo | (is_staff_of_call_region & is_past_draft) | rules.is_superuser,
)
rules.add_perm("calls.change_declaration", is_member_of_declaring_ngo)
rules.add_perm("calls.submit_declaration", is_member_of_declaring_ngo)
rules.add_perm("calls.withdraw_declaration", is_member_of_declaring_ngo)
