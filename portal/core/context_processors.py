from django.conf import settings


def site(request):
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        "staff_nav": _staff_nav(request),
        "large_text": large_text_chosen(request),
    }


# The large-text switch in the header (portal.core.views.text_size) keeps the choice in this cookie;
# the anonymous page cache keys its pages by it (portal/pages/cache.py).
TEXT_SIZE_COOKIE = "textsize"
LARGE = "large"


def large_text_chosen(request):
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == LARGE


def _staff_nav(request):
    """Links to the staff tools the user may open (computed lazily: most pages never ask)."""
    from django.utils.functional import SimpleLazyObject

    def compute():
        from portal.accounts.models import Role
        from portal.accounts.roles import ADMINISTRATIVE_ROLES, has_role

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

    return SimpleLazyObject(compute)
