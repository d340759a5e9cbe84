"""What the projects app does when a project moves on: its followers hear of each milestone.

(The residents whose needs went into it are told by the needs app, which knows them; one who also
follows the project hears it once, from here: the needs app leaves followers out.)"""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from portal.follows.services import followers_of
from portal.notifications.services import notify

from .models import ProjectStatus
from .services import project_moved

P = ProjectStatus
MESSAGES = {
    P.PUBLISHED: gettext_lazy("“%(project)s”, a project you follow, is published and open to funders."),
    P.FUNDED: gettext_lazy("“%(project)s”, a project you follow, is fully funded."),
    P.IN_PROGRESS: gettext_lazy("Work on “%(project)s”, a project you follow, has begun."),
    P.COMPLETED: gettext_lazy("“%(project)s”, a project you follow, is done."),
    P.WITHDRAWN: gettext_lazy("“%(project)s”, a project you follow, has been withdrawn."),
}


@receiver(project_moved)
def _followers_hear_of_each_milestone(sender, project, previous, by, **kwargs):
    if project.status not in MESSAGES:
        return
    from .messages import MILESTONE

    notify(
        users=followers_of(project),
        message=MILESTONE[project.status],
        params={"project": project.title},
        url=project.get_absolute_url(),
    )
