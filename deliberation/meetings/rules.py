"""Who may see and run meetings and take part. Keep `view_meeting` in step with `MeetingQuerySet.visible_to`."""

import rules

from portal.accounts.rules import owner_predicate

from .roles import council_of, is_chair


@rules.predicate
def chairs_it(user, record):
    """The council's chair or staff of its area (on a council, meeting, registration, item or follow-up)."""
    return record is not None and is_chair(user, council_of(record))


def _meeting(obj):
    from .models import Meeting

    return obj if isinstance(obj, Meeting) else None


@rules.predicate
def is_public_meeting(user, meeting):
    meeting = _meeting(meeting)
    return meeting is not None and meeting.is_public


@rules.predicate
def registration_is_open(user, meeting):
    meeting = _meeting(meeting)
    return meeting is not None and meeting.registration_open()


@rules.predicate
def may_register(user, meeting):
    from .services import may_register

    meeting = _meeting(meeting)
    return meeting is not None and may_register(user, meeting)


is_registrant = owner_predicate("user_id", "is_registrant")

rules.add_perm("meetings.view_meeting", is_public_meeting | chairs_it | rules.is_superuser)
# On a council (to create a meeting) or on a meeting (announce, agenda, close registration, hold, cancel,
# check-in, minutes, follow-ups).
rules.add_perm("meetings.manage_meeting", chairs_it | rules.is_superuser)
rules.add_perm("meetings.register", rules.is_authenticated & registration_is_open & may_register)
rules.add_perm("meetings.view_registration", is_registrant | chairs_it | rules.is_superuser)
rules.add_perm("meetings.cancel_registration", is_registrant | chairs_it | rules.is_superuser)
rules.add_perm("meetings.check_in", chairs_it | rules.is_superuser)
rules.add_perm("meetings.write_minutes", chairs_it | rules.is_superuser)
