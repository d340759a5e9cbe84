"""The OpenAPI schema: what /api/schema/ documents must be what the API answers.

Other systems generate clients from it, and CI fuzzes every operation against it
(tests/api/test_fuzz.py): every error an operation can answer is documented, in the
JSON shape the exception handler gives it.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema


def only_public_api(endpoints):
    """Keep /api/v1/ in the schema; Wagtail's internal admin API is not ours to document."""
    return [e for e in endpoints if e[0].startswith("/api/v1/")]


ERROR_BODY = {
    "type": "object",
    "description": "`detail` (and a machine-readable `code`) for most errors; for invalid input, "
    "each field's name with its messages.",
    "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
    "additionalProperties": True,
}
# Every operation may answer these; writes may answer the second set too.
ERRORS = {
    "400": _("Invalid input, filter or query parameter."),
    "401": _("The token is not valid."),
    "403": _("Not allowed (not logged in, wrong role, or the second factor is missing)."),
    "404": _("Not found, or not visible to you."),
    "429": _("Too many requests: slow down."),
}
WRITE_ERRORS = {
    "409": _("Not possible in the record's current state."),
    "413": _("The request body is too large."),
    "415": _("Unsupported media type."),
}


class PortalAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            responses.setdefault(
                code, {"description": str(description), "content": {"application/json": {"schema": ERROR_BODY}}}
            )
        return responses
