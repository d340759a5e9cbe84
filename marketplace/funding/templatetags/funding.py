from django import template

register = template.Library()


@register.inclusion_tag("funding/includes/project_funding.html", takes_context=True)
def project_funding(context, project):
    """A project's money on its page: raised against target, its public ledger, and the Give form."""
    from ..forms import GiveForm
    from ..models import LedgerEntry

    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "project": project,
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "entries": LedgerEntry.objects.public().filter(project=project).order_by("sequence")[:200],
        "give_form": GiveForm(user=user, prefix=None),
    }
