from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .models import AuditEntry


@login_required
def audit_log(request):
    if not request.user.has_perm("audit.view_audit_log"):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("target_type").order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page, "action": action})
