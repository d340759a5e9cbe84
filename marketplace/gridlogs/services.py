from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.needs import services as needs_services
from marketplace.needs.models import Channel
from portal.accounts.models import Role
from portal.accounts.roles import in_scope
from portal.core.errors import DomainError
from portal.regions.models import RegionLevel

from .models import GridLog, Issue, Visit


@transaction.atomic
def write_grid_log(*, by, grid, date, visits_made=0, summary="", visits=(), issues=()):
    """Record a day's log with its visits and issues, all or nothing."""
    if not by.has_perm("gridlogs.add_grid_log"):
        raise PermissionDenied
    if grid.level not in (RegionLevel.GRID, RegionLevel.SUB_GRID):
        raise DomainError(_("Choose a grid."), "grid_required")
    if not (by.is_superuser or in_scope(by, grid, {Role.GRID_WORKER})):
        raise PermissionDenied(_("You can only log your own grid."))
    try:
        with transaction.atomic():
            log = GridLog.objects.create(
                grid=grid, author=by, date=date, visits_made=max(visits_made, len(visits)), summary=summary
            )
    except IntegrityError as exc:
        raise DomainError(_("You already wrote a log for this grid on that day."), "duplicate_log") from exc
    Visit.objects.bulk_create([Visit(log=log, **visit) for visit in visits])
    Issue.objects.bulk_create([Issue(log=log, **issue) for issue in issues])
    return log


@transaction.atomic
def raise_need_from_issue(*, by, issue):
    """One click: the issue becomes a need from the grid-patrol channel. Idempotent."""
    issue = Issue.objects.select_for_update(of=("self",)).select_related("log__grid").get(pk=issue.pk)
    if not by.has_perm("gridlogs.raise_need", issue.log):
        raise PermissionDenied
    if issue.need_id:
        return issue.need
    need = needs_services.submit_need(
        by=by,
        title=issue.description[:120],
        description=issue.description,
        category=issue.category,
        region=issue.log.grid,
        channel=Channel.GRID_PATROL,
        contact_name=by.public_name,
    )
    issue.need = need
    issue.save(update_fields=["need"])
    return need
