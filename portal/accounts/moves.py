"""The audit entry of a status move made by staff, written by `Workflow`'s move hook in the move's transaction.

The accounts app registers it (it knows who is staff; the audit app, below it, only records).
"""

from portal.audit.services import record_action

from .roles import is_staff_member


def audit_move(workflow, obj, *, by, previous, note):
    """Staff (and superusers) leave an audit entry `<workflow.audit>.<new status>` for every move of a
    record whose workflow is audited; residents' and the system's moves are on the timeline only."""
    if not workflow.audit or by is None or not getattr(by, "is_authenticated", False):
        return
    if not (by.is_superuser or is_staff_member(by)):
        return
    status = getattr(obj, workflow.field)
    record_action(
        by=by,
        action=f"{workflow.audit}.{status}",
        target=obj,
        before={workflow.field: previous},
        after={workflow.field: status},
        note=note,
    )
