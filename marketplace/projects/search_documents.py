"""Projects in the search layer: every project past its draft, by its public fields."""

from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def document(project):
    from .models import ProjectStatus

    if project.status == ProjectStatus.DRAFT:
        return None
    return Document(
        title=project.title,
        url=project.get_absolute_url(),
        summary=project.summary,
        text=f"{project.description} {project.beneficiaries}",
        region_id=project.region_id,
        category_id=project.category_id,
        status=project.status,
        gap=project.funding_gap if project.wants_funds else None,
        dated=project.published_at or project.created_at,
    )


def register():
    from search import registry

    from .models import Project, ProjectStatus

    registry.register(
        SearchType(
            name="project",
            label=_("Projects"),
            model=Project,
            document=document,
            queryset=lambda: Project.objects.all(),
            order=20,
            boost=0.6,
            status_labels=lambda: dict(ProjectStatus.choices),
        )
    )
