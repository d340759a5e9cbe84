"""Changes to users, their residence and their roles."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.services import record_action
from portal.core.errors import DomainError
from portal.core.transitions import Workflow
from portal.regions.models import RegionLevel

from .models import RESIDENCE_TRANSITIONS, ResidenceStatus, Role, RoleAssignment
from .roles import ADMINISTRATIVE_ROLES, forget_roles, in_scope, scope_regions

# A residence's claim and its verification, on the shared timeline; `verified_at` is the state.
residence_workflow = Workflow(
    model=RoleAssignment,
    field="residence_status",
    transitions=RESIDENCE_TRANSITIONS,
    stamps={ResidenceStatus.VERIFIED: "verified_at"},
    choices=ResidenceStatus,
)

# Wagtail's own groups give editors and moderators the CMS.
WAGTAIL_GROUPS = {Role.EDITOR: "Editors", Role.MODERATOR: "Moderators"}


@transaction.atomic
def update_profile(*, by, user, display_name, phone, home_community, language):
    if by.pk != user.pk:
        raise PermissionDenied
    moved = home_community != user.home_community
    user.display_name = display_name
    user.phone = phone
    user.home_community = home_community
    user.language = language
    user.save(update_fields=["display_name", "phone", "home_community", "language"])
    if moved:
        claim_residence(by=user, community=home_community)
    return user


def claim_residence(*, by, community):
    """Record (unverified) residence; community staff verify it. Moving drops the old residence."""
    RoleAssignment.objects.filter(user=by, role=Role.RESIDENT).delete()
    forget_roles(by)
    if community is None:
        return None
    if community.level != RegionLevel.COMMUNITY:
        raise DomainError(_("Choose a community as your home."))
    assignment = RoleAssignment.objects.create(user=by, role=Role.RESIDENT, region=community)
    residence_workflow.start(assignment, by=by)
    return assignment


@transaction.atomic
def verify_residence(*, by, assignment):
    if not by.has_perm("accounts.verify_residence", assignment):
        raise PermissionDenied

    def apply(locked, now):
        locked.granted_by = by

    def after(locked, previous):
        record_action(by=by, action="residence.verify", target=locked.user, after={"community": locked.region_id})
        forget_roles(locked.user)

    return residence_workflow.move(assignment, to=ResidenceStatus.VERIFIED, by=by, apply=apply, after=after)


def can_grant(actor, role, region):
    """District staff grant anything in the district; other staff grant only below themselves."""
    if actor.is_superuser:
        return True
    if region is None:
        return bool(scope_regions(actor, {Role.DISTRICT_STAFF}))
    for own in scope_regions(actor, ADMINISTRATIVE_ROLES):
        if own.contains(region) and (own.depth < region.depth or role in {Role.RESIDENT, Role.GRID_WORKER}):
            return True
    return in_scope(actor, region, {Role.DISTRICT_STAFF})


@transaction.atomic
def assign_role(*, by, user, role, region=None, organisation=None):
    if not can_grant(by, role, region):
        raise PermissionDenied(_("You cannot grant this role in that region."))
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        region=region,
        defaults={"organisation": organisation, "granted_by": by, "verified_at": timezone.now()},
    )
    if role in WAGTAIL_GROUPS:
        group, _created = Group.objects.get_or_create(name=WAGTAIL_GROUPS[role])
        user.groups.add(group)
    if created:
        record_action(
            by=by, action="role.assign", target=user, after={"role": role, "region": getattr(region, "pk", None)}
        )
    forget_roles(user)
    return assignment


@transaction.atomic
def revoke_role(*, by, assignment):
    if not can_grant(by, assignment.role, assignment.region):
        raise PermissionDenied(_("You cannot revoke this role."))
    user, role = assignment.user, assignment.role
    record_action(by=by, action="role.revoke", target=user, before={"role": role, "region": assignment.region_id})
    assignment.delete()
    if role in WAGTAIL_GROUPS and not RoleAssignment.objects.filter(user=user, role=role).exists():
        user.groups.remove(*Group.objects.filter(name=WAGTAIL_GROUPS[role]))
    forget_roles(user)


# Checks that may refuse an account's deletion, `check(user)` raising DomainError: the organisations app
# refuses an organisation's last administrator (registered from its AppConfig.ready).
DELETION_CHECKS = []


def before_account_deletion(check):
    if check not in DELETION_CHECKS:
        DELETION_CHECKS.append(check)
    return check


@transaction.atomic
def delete_account(*, by, user):
    """Erase a user's personal data (PIPL). Refused while they are an organisation's last administrator."""
    if by.pk != user.pk:
        raise PermissionDenied
    for check in DELETION_CHECKS:
        check(user)  # raises DomainError to refuse
    user.delete()
