"""Projects past their draft, for the site-wide search box."""

from django.utils.translation import gettext_lazy as _

from search.site import MAX_RESULTS, Hit, all_words


def find_projects(words, *, language_code):
    from .models import Project, ProjectStatus

    projects = (
        Project.objects.exclude(status=ProjectStatus.DRAFT)
        .filter(all_words(["title", "summary"], words))
        .order_by("-created_at")[:MAX_RESULTS]
    )
    return [Hit(p.title, p.get_absolute_url(), p.summary[:160], str(_("Project"))) for p in projects]
