"""What the funding app does when a project moves on (it hears of moves through `project_moved`)."""

from django.dispatch import receiver

from marketplace.projects.models import ProjectStatus
from marketplace.projects.services import project_moved

from .intents import cancel_pledges_of_withdrawn


@receiver(project_moved)
def _withdrawn_project_cancels_its_pledges(sender, project, previous, by, **kwargs):
    """Pledges still waiting are cancelled at once; counted gifts wait for the deadline job, which asks
    their donors to choose (a refund or another project)."""
    if project.status == ProjectStatus.WITHDRAWN:
        cancel_pledges_of_withdrawn(project)
