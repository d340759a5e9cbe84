from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from . import finder
from .models import AuditEntry


@login_required
def audit_log(request):
    if not request.user.has_perm("audit.view_audit_log"):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("target_type").order_by("-created_at", "-id")
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    entry = request.GET.get("entry", "")
    if entry.isdigit() and len(entry) < 19:  # a search result's link: that one entry
        entries = entries.filter(pk=int(entry))
    words = request.GET.get("q", "").strip()[:100]
    failed = False
    if words:
        # Through the search layer (search/audit_documents.py): the entries holding the words, newest first.
        found = finder.find(words)
        failed = found is None
        entries = entries.none() if failed else entries.filter(pk__in=found)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page, "action": action, "q": words, "failed": failed})
