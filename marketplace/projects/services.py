"""Project milestones that residents whose needs went into the project hear about.

The marketplace issue adds the full lifecycle (books, claims, funding); these
are the steps merging needs promises: published, funded, done.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from portal.accounts.roles import ADMINISTRATIVE_ROLES, in_scope
from portal.core.errors import TransitionNotAllowed
from portal.notifications.services import notify

from .models import Project, ProjectStatus

P = ProjectStatus
TRANSITIONS = {
    P.DRAFT: {P.PUBLISHED, P.WITHDRAWN},
    P.PUBLISHED: {P.FUNDED, P.WITHDRAWN},
    P.FUNDED: {P.IN_PROGRESS, P.DONE},
    P.IN_PROGRESS: {P.DONE},
    P.DONE: set(),
    P.WITHDRAWN: set(),
}
MESSAGES = {
    P.PUBLISHED: gettext_lazy("The project “%(project)s”, which includes your need, is published and open to funders."),
    P.FUNDED: gettext_lazy("The project “%(project)s”, which includes your need, is funded."),
    P.DONE: gettext_lazy("The project “%(project)s”, which includes your need, is done. Your need is closed."),
}


@transaction.atomic
def move_project(*, by, project, to):
    """Publish, fund or finish a project; the residents of its needs are told. Idempotent."""
    from marketplace.needs.models import Need, NeedStatus
    from marketplace.needs.services import close_need

    if not (by.is_superuser or in_scope(by, project.region, ADMINISTRATIVE_ROLES)):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status == to:
        return project
    if to not in TRANSITIONS[P(project.status)]:
        raise TransitionNotAllowed(gettext_lazy("The project cannot move to that status."))
    project.status = to
    if to == P.FUNDED:
        project.funded_at = timezone.now()
    project.save(update_fields=["status", "funded_at", "updated_at"])
    needs = list(Need.objects.filter(project=project).select_related("submitted_by"))
    if to == P.DONE:
        for need in needs:
            if need.status == NeedStatus.MERGED:
                close_need(by=None, need=need, note=str(MESSAGES[P.DONE] % {"project": project.title}))
    if to in MESSAGES:
        residents = {n.submitted_by for n in needs if n.submitted_by} | _supporters(needs)
        notify(
            users=sorted(residents, key=lambda u: u.pk),
            title=lambda u: MESSAGES[to] % {"project": project.title},
            url=needs[0].get_absolute_url() if needs else "",
        )
    return project


def _supporters(needs):
    from marketplace.needs.models import NeedSupport

    return {s.user for s in NeedSupport.objects.filter(need__in=needs).select_related("user")}
