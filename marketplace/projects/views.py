from django.shortcuts import get_object_or_404, render

from .models import Project


def project_detail(request, pk):
    """A project's public page: what it is, the needs it came from, how far its funding has come."""
    project = get_object_or_404(Project.objects.visible_to(request.user).select_related("region", "category"), pk=pk)
    needs = project.needs.only("pk", "title", "status", "created_at").order_by("-created_at")[:20]
    books = (
        project.book_entries.filter(page__live=True, page__locale__language_code=request.LANGUAGE_CODE)
        .select_related("page")
        .order_by("-page__edition_date")[:5]
    )
    return render(
        request,
        "projects/project_detail.html",
        {"project": project, "needs": needs, "need_count": project.needs.count(), "books": books},
    )
