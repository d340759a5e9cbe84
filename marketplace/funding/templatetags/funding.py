from django import template

register = template.Library()


@register.inclusion_tag("funding/includes/project_funding.html", takes_context=True)
def project_funding(context, project):
    """A project's money on its page: raised against target, its public ledger, and the Give form."""
    from ..forms import GiveForm
    from ..models import COUNTED_STATUSES, LedgerEntry, Payment

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "project": project,
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "entries": LedgerEntry.objects.public().filter(project=project).order_by("sequence")[:200],
        "give_form": GiveForm(user=user, prefix=None),
        "can_export": bool(user and user.has_perm("funding.export_project_ledger", project)),
        # Only those who said so are named; everyone else is an amount in the ledger.
        "named": Payment.objects.filter(project=project, public_name=True, status__in=COUNTED_STATUSES)
        .exclude(accepted_amount=0)
        .select_related("donor", "organisation")
        .order_by("confirmed_at")[:100],
    }
