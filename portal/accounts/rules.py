"""Permission rules for accounts. Predicates shared by every app live here."""

import rules

from .models import Role
from .roles import ADMINISTRATIVE_ROLES, has_role, in_scope, is_staff_member


@rules.predicate
def is_staff_member_pred(user):
    return is_staff_member(user)


@rules.predicate
def is_administrative_staff(user):
    return has_role(user, *ADMINISTRATIVE_ROLES)


@rules.predicate
def is_district_staff(user):
    return has_role(user, Role.DISTRICT_STAFF)


@rules.predicate
def is_self(user, obj):
    return obj is not None and obj.pk == user.pk


rules.add_perm("accounts.view_user_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.change_user_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.export_user_data", rules.is_authenticated & is_self)
rules.add_perm("accounts.delete_user_account", rules.is_authenticated & is_self & ~rules.is_superuser)
rules.add_perm("audit.view_audit_log", rules.is_superuser | is_district_staff)


@rules.predicate
def is_residence_verifier(user, assignment):
    return assignment is not None and in_scope(user, assignment.region, ADMINISTRATIVE_ROLES)


rules.add_perm("accounts.verify_residence", is_residence_verifier | rules.is_superuser)
