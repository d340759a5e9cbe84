"""What staff can do to an organisation's verification: each move once, for the organisation page and the API.

The page posts to /organisations/<slug>/verify/ or …/reject/ and the API to
/api/organisations/<pk>/verify/ or …/reject/ (with `note`); both run the action of this table.
The third move, back to pending, is no one's action: it follows from an organisation changing who it is.
"""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import services
from .forms import DecisionForm
from .models import VerificationStatus as V

VERIFICATION_ACTIONS = ActionTable(
    [
        Action(
            "verify",
            perm="organisations.verify_organisation",
            target=V.VERIFIED,
            form=DecisionForm,
            run=lambda by, org, d: services.verify_organisation(by=by, organisation=org, note=d.get("note", "")),
            done=_("%(name)s is verified."),
            description="Staff of the organisation's area verify it; its members get their roles.",
        ),
        Action(
            "reject",
            perm="organisations.verify_organisation",
            target=V.REJECTED,
            form=DecisionForm,
            run=lambda by, org, d: services.reject_organisation(by=by, organisation=org, reason=d.get("note", "")),
            done=_("%(name)s was sent back to the organisation."),
            description="Staff send the organisation back with a reason, so it knows what to fix.",
        ),
    ],
    workflow=services.verification,
)
