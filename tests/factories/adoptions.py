"""Projects open to claims and bids, made as staff make them (published through the workflow)."""

from marketplace.projects.models import InKindItem, Project, ProjectStatus

from .needs import category


def published_project(region, *, title="社区助餐点", budget=10_000_000, **wants):
    """A published project in `region` (default: asks for funds, an implementer, gifts in kind and volunteers)."""
    flags = {"wants_funds": True, "wants_implementer": True, "wants_in_kind": True, "wants_volunteers": True}
    flags.update(wants)
    project = Project.objects.create(
        title=title, category=category(), region=region, budget=budget, status=ProjectStatus.PUBLISHED, **flags
    )
    InKindItem.objects.create(project=project, name="折叠餐桌", quantity=10, unit="张", estimated_value=30_000)
    return project


def bid_payload(organisation, **overrides):
    return {
        "organisation": organisation,
        "plan": "每周五天午餐配送，志愿者上门",
        "price": 8_000_000,
        "timeline": "2027年1月至12月",
        "team": "社工2名，厨师1名",
        "track_record": "2025年在甲一社区运营助餐点",
        **overrides,
    }
