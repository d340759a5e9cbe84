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


def is_same_person(user, owner_id):
    """True when `owner_id` is this signed-in user's id.

    The one way to write an owner check: an anonymous visitor's pk and a record
    without an owner are both None, and `None == None` must not make a stranger the owner.
    """
    return bool(getattr(user, "is_authenticated", False)) and owner_id is not None and owner_id == user.pk


def owner_predicate(attribute, name):
    """A predicate true for the user whose id is in `obj.<attribute>` (e.g. "submitted_by_id")."""

    def check(user, obj):
        return obj is not None and is_same_person(user, getattr(obj, attribute, None))

    return rules.predicate(check, name=name)


is_self = owner_predicate("pk", "is_self")


rules.add_perm("accounts.view_user_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.change_user_profile", rules.is_authenticated & is_self)
rules.add_perm("accounts.export_user_data", rules.is_authenticated & is_self)
rules.add_perm("accounts.delete_user_account", rules.is_authenticated & is_self & ~rules.is_superuser)
rules.add_perm("audit.view_audit_log", rules.is_superuser | is_district_staff)


@rules.predicate
def is_residence_verifier(user, assignment):
    return assignment is not None and in_scope(user, assignment.region, ADMINISTRATIVE_ROLES)


rules.add_perm("accounts.verify_residence", is_residence_verifier | rules.is_superuser)
