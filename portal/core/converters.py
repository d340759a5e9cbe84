"""URL converters. `<id:pk>` is a database id: 1 to 18 digits.

Django's `<id:…>` takes any number of digits, and a 27-digit id reaches the database,
which refuses it with an error that would be a 500; an id that cannot exist is a 404.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)
