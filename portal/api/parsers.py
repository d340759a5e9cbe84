"""The API's body parsers, refusing control characters in any string of any body.

One choke point for every endpoint, present and future: a JSON, form or multipart body
with a control character in a value answers 400 naming the field, before any view sees it.
"""

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ValidationError

from portal.core.text import control_character_message, find_control_character


def _bad_fields(data, path=""):
    if isinstance(data, dict | QueryDict):
        items = data.lists() if isinstance(data, QueryDict) else data.items()
        for key, value in items:
            yield from _bad_fields(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list | tuple):
        for value in data:  # a list's items are reported under the list's own name
            yield from _bad_fields(value, path)
    else:
        character = find_control_character(data)
        if character is not None:
            yield path or "non_field_errors", control_character_message(character)


def refuse_control_characters(data):
    errors = {}
    for field, message in _bad_fields(data):
        errors.setdefault(field, []).append(str(message))
    if errors:
        raise ValidationError(errors)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_control_characters(super().parse(stream, media_type, parser_context))


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_control_characters(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_control_characters(result.data)
        return result
