"""Who may claim, decide, bid and select. Keep the view rules in step with the `visible_to` querysets."""

import rules

from portal.accounts.models import Role
from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role, in_scope, role_facts
from portal.accounts.rules import owner_predicate

is_claimant = owner_predicate("claimant_id", "is_claimant")


@rules.predicate
def is_staff_of_project_region(user, record):
    """Community, street or district staff whose area holds the project of the claim, bid or project."""
    if record is None:
        return False
    project = getattr(record, "project", record)
    return in_scope(user, project.region, ADMINISTRATIVE_ROLES)


@rules.predicate
def is_member_of_its_organisation(user, record):
    """A member (verified or not) of the organisation the claim or bid is made for."""
    organisation_id = getattr(record, "organisation_id", None)
    return organisation_id is not None and organisation_id in role_facts(user).organisation_ids


@rules.predicate
def acts_for_its_organisation(user, record):
    """A member of the verified organisation the bid is made for (acts in its name)."""
    organisation_id = getattr(record, "organisation_id", None)
    return organisation_id is not None and organisation_id in role_facts(user).verified_organisation_ids


@rules.predicate
def is_selected_bid(user, bid):
    from .models import Bid, BidStatus

    return isinstance(bid, Bid) and bid.status == BidStatus.SELECTED


@rules.predicate
def is_ngo_member(user):
    return has_role(user, Role.NGO_MEMBER)


@rules.predicate
def is_administrative_staff(user):
    return has_role(user, *ADMINISTRATIVE_ROLES)


# Claims. Anyone signed in may claim; the service checks the project and the organisation.
rules.add_perm("adoptions.add_adoption", rules.is_authenticated)
rules.add_perm(
    "adoptions.view_adoption",
    is_claimant | is_member_of_its_organisation | is_staff_of_project_region | rules.is_superuser,
)
rules.add_perm("adoptions.decide_adoption", is_staff_of_project_region | rules.is_superuser)
rules.add_perm("adoptions.withdraw_adoption", is_claimant)
rules.add_perm("adoptions.view_queue", is_administrative_staff | rules.is_superuser)

# Bids. Keep view_bid in step with BidQuerySet.visible_to.
rules.add_perm("adoptions.add_bid", is_ngo_member)
rules.add_perm(
    "adoptions.view_bid",
    is_selected_bid | is_member_of_its_organisation | is_staff_of_project_region | rules.is_superuser,
)
# The whole bid (team, track record, attachments): never for other NGOs, even once selected.
rules.add_perm(
    "adoptions.view_bid_private", is_member_of_its_organisation | is_staff_of_project_region | rules.is_superuser
)
rules.add_perm("adoptions.withdraw_bid", acts_for_its_organisation)
# On a bid or on a project: compare its bids, record opinions, select.
rules.add_perm("adoptions.select_bid", is_staff_of_project_region | rules.is_superuser)
rules.add_perm("adoptions.compare_bids", is_staff_of_project_region | rules.is_superuser)
