import rules

from portal.accounts.roles import ADMINISTRATIVE_ROLES, in_scope


@rules.predicate
def is_project_staff(user, project):
    """Community, street or district staff whose area holds the project's region."""
    return project is not None and in_scope(user, project.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_public_project(user, project):
    from .models import ProjectStatus

    return project is not None and project.status != ProjectStatus.DRAFT


rules.add_perm("projects.view_project", is_public_project | is_project_staff | rules.is_superuser)
rules.add_perm("projects.change_project_status", is_project_staff | rules.is_superuser)


@rules.predicate
def is_administrative_staff(user):
    from portal.accounts.roles import has_role

    return has_role(user, *ADMINISTRATIVE_ROLES)


# Staff write projects (from merged needs or from scratch) for their own area; the region is checked
# against the same scope when the project is saved (services.check_region).
rules.add_perm("projects.add_project", is_administrative_staff | rules.is_superuser)
rules.add_perm("projects.change_project", is_project_staff | rules.is_superuser)
