"""Who may plan, report, approve, pay and rate. Keep the view rules in step with the `visible_to` querysets.

NGO members of the implementing (verified) organisation report; staff of the project's area approve
milestones, pay tranches, open the rating window and enter paper ratings; verified residents of the
project's region (not the implementer's own members) rate it while its window is open.
"""

import rules

from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role, in_scope, is_resident_of, role_facts
from portal.accounts.rules import owner_predicate


def _project(record):
    return getattr(record, "project", record)


@rules.predicate
def is_project_staff(user, record):
    """Community, street or district staff whose area holds the project (of the milestone, tranche…)."""
    if record is None:
        return False
    return in_scope(user, _project(record).region, ADMINISTRATIVE_ROLES)


@rules.predicate
def acts_for_implementer(user, record):
    """A member of the verified organisation implementing the project."""
    if record is None:
        return False
    organisation_id = _project(record).implementer_id
    return organisation_id is not None and organisation_id in role_facts(user).verified_organisation_ids


@rules.predicate
def is_implementer_member(user, record):
    """A member (verified or not) of the organisation implementing the project."""
    if record is None:
        return False
    organisation_id = _project(record).implementer_id
    return organisation_id is not None and organisation_id in role_facts(user).organisation_ids


@rules.predicate
def is_public_project(user, record):
    from marketplace.projects.models import ProjectStatus

    return record is not None and _project(record).status != ProjectStatus.DRAFT


@rules.predicate
def lives_in_project_region(user, project):
    """A verified resident whose community holds the project's region or lies within it."""
    return project is not None and is_resident_of(user, _project(project).region)


@rules.predicate
def rating_window_open(user, project):
    from .models import EvaluationWindow

    if project is None:
        return False
    window = EvaluationWindow.objects.filter(project_id=_project(project).pk).first()
    return window is not None and window.is_open()


@rules.predicate
def has_rated(user, project):
    from .models import Evaluation

    return project is not None and Evaluation.objects.filter(project_id=_project(project).pk, rater=user).exists()


@rules.predicate
def is_administrative_staff(user):
    return has_role(user, *ADMINISTRATIVE_ROLES)


is_rater = owner_predicate("rater_id", "is_rater")
staff = is_project_staff | rules.is_superuser

rules.add_perm("implementation.view_milestone", is_public_project | staff)
rules.add_perm("implementation.view_progressreport", is_public_project | staff)
rules.add_perm("implementation.plan_milestone", acts_for_implementer | staff)
rules.add_perm("implementation.report_progress", acts_for_implementer)
rules.add_perm("implementation.decide_milestone", staff)
rules.add_perm("implementation.pay_tranche", staff)
rules.add_perm("implementation.manage_evaluation", staff)
rules.add_perm(
    "implementation.rate_project",
    lives_in_project_region & ~is_implementer_member & rating_window_open & ~has_rated,
)
rules.add_perm("implementation.view_evaluation", is_rater | staff)
# Model-level (the API's create and the queue): anyone signed in may try; the service checks the project.
rules.add_perm("implementation.add_milestone", rules.is_authenticated)
rules.add_perm("implementation.add_progressreport", rules.is_authenticated)
rules.add_perm("implementation.add_evaluation", rules.is_authenticated)
rules.add_perm("implementation.view_queue", is_administrative_staff | rules.is_superuser)
