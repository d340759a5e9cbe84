"""Who runs a council's meetings and votes: staff of its area, or its chair.

Shared by the meetings and votes rules (one definition of "chair"); it lives with the councils so
that votes need not import the meetings app above them.
"""

from django.utils import timezone

from portal.accounts.roles import ADMINISTRATIVE_ROLES, in_scope


def council_of(record):
    """The council a meeting, agenda item, registration, vote or ballot belongs to (a council is its own)."""
    from deliberation.councils.models import Council

    while record is not None and not isinstance(record, Council):
        for attr in ("council", "meeting", "vote", "item", "minutes"):
            if hasattr(record, attr):
                record = getattr(record, attr)
                break
        else:
            return None
    return record


def is_council_staff(user, council):
    """Community, street or district staff whose area holds the council's region."""
    return council is not None and in_scope(user, council.region, ADMINISTRATIVE_ROLES)


def is_chair(user, council):
    """A serving member of the council in the chair's seat (with an account), or staff of its area."""
    if council is None or not getattr(user, "is_authenticated", False):
        return False
    if is_council_staff(user, council) or user.is_superuser:
        return True
    if council.pk is None:
        return False
    from deliberation.councils.models import CouncilMember, MemberRole

    return (
        CouncilMember.objects.serving(timezone.localdate())
        .filter(council=council, user=user, role=MemberRole.CHAIR)
        .exists()
    )
