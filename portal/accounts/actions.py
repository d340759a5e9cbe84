"""What staff can do to a resident's claimed residence: the residence queue's button (POST
/accounts/residences/<pk>/verify/) runs the action of this table."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import services
from .models import ResidenceStatus

RESIDENCE_ACTIONS = ActionTable(
    [
        Action(
            "verify",
            perm="accounts.verify_residence",
            target=ResidenceStatus.VERIFIED,
            run=lambda by, assignment, d: services.verify_residence(by=by, assignment=assignment),
            done=_("Residence of %(user)s verified."),
            description="Community staff confirm that the resident lives in the community they claimed.",
        ),
    ],
    workflow=services.residence_workflow,
)
