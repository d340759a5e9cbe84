import rules

from portal.accounts.models import Role
from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role, in_scope, role_facts


@rules.predicate
def is_org_admin(user, organisation):
    return organisation is not None and organisation.pk in role_facts(user).admin_organisation_ids


@rules.predicate
def is_org_member(user, organisation):
    return organisation is not None and organisation.pk in role_facts(user).organisation_ids


@rules.predicate
def is_verifying_staff(user, organisation):
    """Community, street or district staff whose subtree holds the organisation's registration."""
    return organisation is not None and in_scope(user, organisation.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_department_keeper(user, organisation):
    """District staff keep the departments: they create them and manage their officers."""
    from .models import OrganisationKind

    return (
        organisation is not None
        and organisation.kind == OrganisationKind.DEPARTMENT
        and in_scope(user, organisation.region, {Role.DISTRICT_STAFF})
    )


@rules.predicate
def is_district_staff(user):
    return has_role(user, Role.DISTRICT_STAFF)


@rules.predicate
def is_public(user, organisation):
    return organisation is not None and organisation.is_verified


rules.add_perm("organisations.add_organisation", rules.is_authenticated)
rules.add_perm("organisations.view_organisation", is_public | is_org_member | is_verifying_staff | rules.is_superuser)
# Departments are never self-registered: district staff create them (verified at once).
rules.add_perm("organisations.add_department", is_district_staff | rules.is_superuser)
rules.add_perm("organisations.change_organisation", is_org_admin | is_department_keeper | rules.is_superuser)
rules.add_perm("organisations.manage_members", is_org_admin | is_department_keeper | rules.is_superuser)
rules.add_perm("organisations.upload_document", is_org_admin | rules.is_superuser)
rules.add_perm("organisations.view_documents", is_org_admin | is_verifying_staff | rules.is_superuser)
rules.add_perm("organisations.verify_organisation", is_verifying_staff | rules.is_superuser)
