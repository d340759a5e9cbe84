"""Funders who agreed to be named, and what the ledger says they gave.

Only gifts whose donor ticked "show my name" count here (`Payment.public_name`): a person or an
organisation with none has no public page, and their other gifts are never added to it. Totals are
sums of the ledger's rows for those gifts, per project: a refunded gift nets to nothing, a moved
gift counts for the project it was moved to.
"""

from django.db.models import Sum

from marketplace.projects.models import Project

from .models import COUNTED_STATUSES, LedgerEntry, Payment


def named_gifts():
    return Payment.objects.filter(public_name=True, status__in=COUNTED_STATUSES)


def named_gifts_of_person(user):
    return named_gifts().filter(donor=user, organisation__isnull=True)


def named_gifts_of_organisation(organisation):
    return named_gifts().filter(organisation=organisation)


def supported_projects(gifts):
    """[(project, total in fen)] from the public ledger, largest first; projects netting to nothing left out."""
    rows = (
        LedgerEntry.objects.public()
        .filter(payment__in=gifts.values("pk"))
        .values("project")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .order_by("-total", "project")
    )
    rows = list(rows)
    projects = Project.objects.public().select_related("region").in_bulk([r["project"] for r in rows])
    return [(projects[r["project"]], r["total"]) for r in rows if r["project"] in projects]
