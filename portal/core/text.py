"""What people may type: no control characters, names that read as they look, sane lengths and dates.

Control characters have no place in a title or a description: they break exports
(Excel refuses most of them), terminals and logs. Every text field of every form
refuses them (`portal.core.apps` adds `reject_control_characters` to Django's
CharField), the API's parsers refuse them in any JSON or form body
(`portal.api.parsers`), and the import checks each cell.
"""

import re
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# C0 controls and DEL, except tab, line feed and carriage return (browsers send CRLF).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Characters that make a name read differently from what it is: bidirectional overrides
# and isolates (U+202A–U+202E, U+2066–U+2069), zero-width spaces and joiners, the BOM.
DECEPTIVE_CHARACTERS = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

# Lengths for free text (characters): a description, and a note or reason.
LONG_TEXT = 5000
NOTE_TEXT = 2000

OLDEST_DATE = date(2000, 1, 1)


def find_control_character(value):
    """The first forbidden control character in `value`, or None."""
    if not isinstance(value, str):
        return None
    found = CONTROL_CHARACTERS.search(value)
    return found.group() if found else None


def control_character_message(character):
    return _("Remove the invisible control character (U+%(code)04X) from this text.") % {"code": ord(character)}


def reject_control_characters(value):
    character = find_control_character(value)
    if character is not None:
        raise ValidationError(control_character_message(character), code="control_character")


def validate_display_name(value):
    """Names shown to others (people, organisations): no hidden direction changes or invisible characters."""
    reject_control_characters(value)
    if isinstance(value, str) and DECEPTIVE_CHARACTERS.search(value):
        raise ValidationError(
            _("Remove the invisible or direction-changing characters from this name."), code="deceptive_name"
        )


@deconstructible
class ReasonableDate:
    """A date between 2000 and a bounded time ahead (a grid log is not written in the year 9999)."""

    def __init__(self, days_ahead=0):
        self.days_ahead = days_ahead

    def __call__(self, value):
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
        latest = timezone.localdate() + timedelta(days=self.days_ahead)
        if day < OLDEST_DATE:
            raise ValidationError(
                _("Enter a date from %(date)s on.") % {"date": OLDEST_DATE.isoformat()}, code="date_too_early"
            )
        if day > latest:
            raise ValidationError(
                _("Enter a date no later than %(date)s.") % {"date": latest.isoformat()}, code="date_too_late"
            )

    def __eq__(self, other):
        return isinstance(other, ReasonableDate) and other.days_ahead == self.days_ahead
