"""The shared date-and-time picker writes its value the one way browsers read."""

from datetime import datetime

from django import forms

from portal.core.widgets import LocalDateTimeInput


class When(forms.Form):
    at = forms.DateTimeField(widget=LocalDateTimeInput())


def test_an_initial_value_is_written_as_a_browser_reads_it_and_read_back():
    html = str(When(initial={"at": datetime(2027, 3, 1, 9, 30, 15)})["at"])
    assert 'type="datetime-local"' in html and 'value="2027-03-01T09:30"' in html
    posted = When({"at": "2027-03-01T09:30"})
    assert posted.is_valid() and posted.cleaned_data["at"].hour == 9
