"""Who runs a council's meetings: defined with the councils (deliberation.councils.roles)."""

from deliberation.councils.roles import council_of, is_chair, is_council_staff  # noqa: F401
