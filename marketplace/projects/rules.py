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
