from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(value):
    """Digits only (a leading + allowed), 7 to 15 of them; spaces and dashes are dropped."""
    phone = (value or "").replace(" ", "").replace("-", "")
    if phone and not (phone.lstrip("+").isdigit() and 7 <= len(phone.lstrip("+")) <= 15):
        raise ValidationError(_("Enter a phone number of digits only, such as 13800138000."), code="phone")
    return phone
