"""Who holds which role, and where. The one place role facts are computed.

Roles come from two sources: explicit `RoleAssignment` rows (residence,
staff posts, reviewer, editor…) and membership of an organisation, whose
kind gives the role (NGO → NGO member, company/foundation → donor member,
department → department officer). Only verified organisations give roles: an
organisation awaiting (re-)verification lets its members edit its profile and
nothing more. Results are cached on the user object for the request.
"""

from dataclasses import dataclass, field

from portal.regions.models import Region

from .models import STAFF_ROLES, Role, RoleAssignment

# Staff roles that administer residents' matters in a region subtree.
REGIONAL_STAFF_ROLES = frozenset({Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF})
# Staff roles that can verify organisations and manage roles in their subtree.
ADMINISTRATIVE_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.STREET_STAFF, Role.DISTRICT_STAFF})


# Other sources of roles, each `source(user, facts)` adding to the facts: the organisations app adds
# membership of organisations (from its AppConfig.ready), so this module names no app above it.
ROLE_SOURCES = []


def add_role_source(source):
    if source not in ROLE_SOURCES:
        ROLE_SOURCES.append(source)
    return source


@dataclass
class RoleFacts:
    roles: set = field(default_factory=set)
    # role -> list of regions (None means district-wide / unscoped)
    regions: dict = field(default_factory=dict)
    # Every organisation the user belongs to (to see and edit its profile), verified or not.
    organisation_ids: set = field(default_factory=set)
    admin_organisation_ids: set = field(default_factory=set)
    # The verified ones: only these give roles and act for the organisation.
    verified_organisation_ids: set = field(default_factory=set)


def role_facts(user) -> RoleFacts:
    if not getattr(user, "is_authenticated", False):
        return RoleFacts()
    cached = getattr(user, "_role_facts", None)
    if cached is not None:
        return cached
    facts = RoleFacts()
    for assignment in RoleAssignment.objects.filter(user=user).select_related("region"):
        if assignment.role == Role.RESIDENT and assignment.verified_at is None:
            continue  # an unverified residence claim grants nothing yet
        facts.roles.add(Role(assignment.role))
        facts.regions.setdefault(Role(assignment.role), []).append(assignment.region)
    for source in ROLE_SOURCES:
        source(user, facts)
    user._role_facts = facts
    return facts


def forget_roles(user):
    """Drop the cached facts after a change to the user's roles."""
    if hasattr(user, "_role_facts"):
        del user._role_facts


def has_role(user, *roles) -> bool:
    return bool(role_facts(user).roles.intersection(roles))


def is_staff_member(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def scope_regions(user, roles=REGIONAL_STAFF_ROLES) -> list[Region]:
    """The regions whose subtrees the user may see and act in through `roles`.

    Superusers act everywhere: they get the district roots.
    """
    if getattr(user, "is_superuser", False):
        return list(Region.get_root_nodes())
    facts = role_facts(user)
    result = []
    for role in roles:
        for region in facts.regions.get(role, []):
            if region is None:
                return list(Region.get_root_nodes())
            result.append(region)
    return result


def in_scope(user, region, roles=REGIONAL_STAFF_ROLES) -> bool:
    if region is None:
        return False
    return any(r.contains(region) for r in scope_regions(user, roles))


def is_resident_of(user, region) -> bool:
    """True when the user's verified residence lies within `region` or contains it (a grid of their community)."""
    if region is None:
        return False
    return any(
        home is not None and (home.contains(region) or region.contains(home))
        for home in role_facts(user).regions.get(Role.RESIDENT, [])
    )


def residence(user):
    """The verified community the user lives in, if any."""
    regions = role_facts(user).regions.get(Role.RESIDENT, [])
    return regions[0] if regions else None
