"""`{% ledger_warning %}`: a failed check of the books, shown where staff work (the funding queue)."""

from django import template

register = template.Library()


@register.inclusion_tag("funding/includes/ledger_warning.html", takes_context=True)
def ledger_warning(context):
    from portal.accounts.models import Role
    from portal.accounts.roles import scope_regions

    from ..ledger import last_check

    check = last_check()
    user = getattr(context.get("request"), "user", None)
    failed = check is not None and not check.ok
    # What is wrong (project titles, gift numbers) for district staff and superusers; a warning for the rest.
    detailed = failed and bool(
        user is not None
        and user.is_authenticated
        and (user.is_superuser or scope_regions(user, (Role.DISTRICT_STAFF,)))
    )
    return {"check": check if failed else None, "problems": check.problems.splitlines() if detailed else []}
