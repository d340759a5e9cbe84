"""Who is present for a vote on an agenda item: those whose registration is confirmed and who checked in.

Registered with the votes app (deliberation.votes.services.count_present_with) from this app's ready().
"""

from .models import Registration, RegistrationStatus


def checked_in_electors(vote):
    present = Registration.objects.filter(
        meeting_id=vote.agenda_item.meeting_id, status=RegistrationStatus.CONFIRMED, checked_in_at__isnull=False
    ).select_related("user")
    return [(r.user_id, None, r.display_name) for r in present]
