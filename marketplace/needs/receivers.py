"""What the needs app does when a project made of its needs moves on."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from marketplace.projects.models import ProjectStatus
from marketplace.projects.services import project_moved
from portal.follows.services import followers_of
from portal.notifications.services import notify

from .models import Need, NeedStatus, NeedSupport

P = ProjectStatus
MESSAGES = {
    P.PUBLISHED: gettext_lazy("The project “%(project)s”, which includes your need, is published and open to funders."),
    P.FUNDED: gettext_lazy("The project “%(project)s”, which includes your need, is funded."),
    P.COMPLETED: gettext_lazy("The project “%(project)s”, which includes your need, is done. Your need is closed."),
}


@receiver(project_moved)
def _residents_follow_their_project(sender, project, previous, by, **kwargs):
    """The residents whose needs went into the project hear of each milestone; completion closes the needs."""
    from .services import close_need

    if project.status not in MESSAGES:
        return
    needs = list(Need.objects.filter(project=project).select_related("submitted_by"))
    if project.status == P.COMPLETED:
        for need in needs:
            if need.status == NeedStatus.MERGED:
                close_need(by=None, need=need, note=str(MESSAGES[P.COMPLETED] % {"project": project.title}))
    residents = {n.submitted_by for n in needs if n.submitted_by} | {
        s.user for s in NeedSupport.objects.filter(need__in=needs).select_related("user")
    }
    residents -= set(followers_of(project))  # they hear it as followers, from the projects app
    from .messages import PROJECT_STEP

    notify(
        users=sorted(residents, key=lambda u: u.pk),
        message=PROJECT_STEP[project.status],
        params={"project": project.title},
        url=project.get_absolute_url(),
    )
