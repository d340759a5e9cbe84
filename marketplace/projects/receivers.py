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
    notify(
        users=followers_of(project),
        title=lambda u: MESSAGES[project.status] % {"project": project.title},
        url=project.get_absolute_url(),
    )


def _renew_filter_form(**kwargs):
    """The list's filter form offers categories, streets and book editions: render it again once they change."""
    from django.db import transaction

    from . import filter_form

    transaction.on_commit(filter_form.renew)


def connect_filter_form_receivers():
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished

    from portal.core.models import Category
    from portal.regions.models import Region

    for model in (Category, Region):
        post_save.connect(_renew_filter_form, sender=model, dispatch_uid=f"project-filters-save-{model.__name__}")
        post_delete.connect(_renew_filter_form, sender=model, dispatch_uid=f"project-filters-delete-{model.__name__}")
    page_published.connect(_renew_filter_form, dispatch_uid="project-filters-published")
    page_unpublished.connect(_renew_filter_form, dispatch_uid="project-filters-unpublished")
    post_delete.connect(_renew_filter_form, sender=Page, dispatch_uid="project-filters-page-deleted")
