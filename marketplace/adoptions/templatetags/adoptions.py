"""The project page's "Claim this project" section, without the projects app importing this one."""

from django import template

from portal.accounts.models import Role
from portal.accounts.roles import has_role, role_facts

from ..forms import CLAIM_FORMS
from ..models import LIVE_BID_STATUSES, MODE_WANTED, AdoptionMode, AdoptionStatus, BidStatus

register = template.Library()


@register.inclusion_tag("adoptions/includes/claim_section.html", takes_context=True)
def claim_section(context, project):
    request = context["request"]
    user = request.user
    wanted = [mode for mode in AdoptionMode if getattr(project, MODE_WANTED[mode])]
    forms = []
    if user.is_authenticated and project.open_to_claim:
        forms = [
            (mode, CLAIM_FORMS[mode](user=user, project=project, prefix=mode)) for mode in wanted if mode in CLAIM_FORMS
        ]
    selected = project.bids.filter(status=BidStatus.SELECTED).select_related("organisation").first()
    own_bids = (
        list(
            project.bids.filter(
                organisation_id__in=role_facts(user).organisation_ids, status__in=LIVE_BID_STATUSES
            ).select_related("organisation")
        )
        if user.is_authenticated
        else []
    )
    return {
        "request": request,
        "own_bids": own_bids,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "project": project,
        "wanted": wanted,
        "forms": forms,
        "bidding": project.open_to_claim and project.wants_implementer and selected is None,
        "can_bid": has_role(user, Role.NGO_MEMBER),
        "can_compare": user.has_perm("adoptions.compare_bids", project),
        "selected": selected,
        "approved": project.adoptions.filter(status=AdoptionStatus.APPROVED).count(),
    }
