"""The header's links to staff tools (`staff_nav`), from the user's roles."""

from django.utils.functional import SimpleLazyObject

from .models import Role
from .roles import ADMINISTRATIVE_ROLES, has_role


def staff_nav(request):
    """Links to the staff tools the user may open (computed lazily: most pages never ask)."""

    def compute():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return {}
        return {
            "verification": has_role(user, *ADMINISTRATIVE_ROLES) or user.is_superuser,
            "audit": user.has_perm("audit.view_audit_log"),
            "cms": has_role(user, Role.EDITOR, Role.MODERATOR) or user.is_superuser,
            "queue": user.has_perm("needs.view_queue") or has_role(user, Role.DEPARTMENT_OFFICER),
            "claims": user.has_perm("adoptions.view_queue"),
            "gridlogs": user.has_perm("gridlogs.list_grid_logs"),
            "reports": user.has_perm("reports.view_report"),
            "unread": user.notifications.filter(read_at__isnull=True).count(),
        }

    return {"staff_nav": SimpleLazyObject(compute)}
