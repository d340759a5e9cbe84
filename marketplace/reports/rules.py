import rules

from portal.accounts.models import Role
from portal.accounts.roles import has_role

# Who reads the daily report and may have it emailed: community, street and district staff,
# and officers of government departments (superusers too). It covers the whole district.
REPORT_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF, Role.DEPARTMENT_OFFICER})


@rules.predicate
def is_report_reader(user):
    return has_role(user, *REPORT_ROLES)


rules.add_perm("reports.view_report", is_report_reader | rules.is_superuser)
rules.add_perm("reports.subscribe", is_report_reader | rules.is_superuser)
