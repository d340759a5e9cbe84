"""A published project, as the funding, claims and bids tests need one."""

from marketplace.projects.models import InKindItem, Project, ProjectStatus
from portal.core.money import FEN_PER_YUAN

from .needs import category


def published_project(region, *, title="社区助餐点", target_yuan=None, budget=10_000_000, **fields):
    """A published project in `region` that wants every kind of help (funds, an implementer, gifts in kind,
    volunteers) unless told otherwise, with 10 folding tables wanted in kind. With `target_yuan` it asks
    donors for exactly that much (and the budget is the same); otherwise its budget is ¥100,000."""
    wants = {"wants_funds": True, "wants_implementer": True, "wants_in_kind": True, "wants_volunteers": True}
    wants.update({k: fields.pop(k) for k in list(fields) if k in wants})
    target = 0
    if target_yuan is not None:
        budget = target = target_yuan * FEN_PER_YUAN
    project = Project.objects.create(
        title=title,
        category=category(),
        region=region,
        budget=budget,
        target=target,
        **wants,
        **{"status": ProjectStatus.PUBLISHED, **fields},
    )
    if project.wants_in_kind:
        InKindItem.objects.create(project=project, name="折叠餐桌", quantity=10, unit="张", estimated_value=30_000)
    return project
