from marketplace.projects.models import Project, ProjectStatus
from portal.core.money import FEN_PER_YUAN

from .needs import category


def published_project(region, *, target_yuan=1000, title="楼道扶手加装", **fields):
    """A published project asking donors for `target_yuan`."""
    return Project.objects.create(
        title=title,
        category=category(),
        region=region,
        status=ProjectStatus.PUBLISHED,
        budget=target_yuan * FEN_PER_YUAN,
        target=target_yuan * FEN_PER_YUAN,
        **fields,
    )
