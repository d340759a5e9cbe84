import rules

from portal.accounts.models import Role
from portal.accounts.roles import REGIONAL_STAFF_ROLES, has_role, in_scope
from portal.accounts.rules import owner_predicate


@rules.predicate
def is_grid_worker(user):
    return has_role(user, Role.GRID_WORKER)


is_author = owner_predicate("author_id", "is_author")


@rules.predicate
def is_staff_over_grid(user, log):
    return log is not None and in_scope(user, log.grid, REGIONAL_STAFF_ROLES)


@rules.predicate
def is_regional_staff(user):
    return has_role(user, *REGIONAL_STAFF_ROLES)


rules.add_perm("gridlogs.add_grid_log", is_grid_worker | rules.is_superuser)
rules.add_perm("gridlogs.list_grid_logs", is_regional_staff | rules.is_superuser)
rules.add_perm("gridlogs.view_grid_log", is_author | is_staff_over_grid | rules.is_superuser)
rules.add_perm("gridlogs.raise_need", is_author | is_staff_over_grid | rules.is_superuser)
