"""Form widgets every feature shares."""

from django import forms


class LocalDateTimeInput(forms.DateTimeInput):
    """A browser's date-and-time picker. Its value must be written `YYYY-MM-DDTHH:MM`: the browser leaves the
    field empty for anything else (Django's default has a space and seconds), so an initial or typed-back value
    would be lost and the form refused as if nothing had been entered."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
