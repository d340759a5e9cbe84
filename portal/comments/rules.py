"""Who may comment, edit, report and hide. Commenting defers to the record commented on."""

import rules

from portal.accounts.models import Role
from portal.accounts.roles import has_role, is_resident_of
from portal.accounts.rules import owner_predicate

from .registry import entry_for

is_author = owner_predicate("author_id", "is_comment_author")


@rules.predicate
def may_comment_on(user, target):
    """Signed in and able to see the record; on deliberation records, a verified resident of its region."""
    entry = entry_for(target) if target is not None else None
    if entry is None or not entry.can_view(user, target):
        return False
    return entry.region is None or is_resident_of(user, entry.region(target))


@rules.predicate
def can_see_its_target(user, comment):
    target = comment.target if comment is not None else None
    entry = entry_for(target) if target is not None else None
    return entry is not None and entry.can_view(user, target)


@rules.predicate
def is_visible_comment(user, comment):
    return comment is not None and not comment.is_hidden


@rules.predicate
def in_edit_window(user, comment):
    return comment is not None and comment.editable_now()


@rules.predicate
def is_moderator(user):
    return has_role(user, Role.MODERATOR)


# On the target: "may I comment here?"; without an object (the API's create): signed in at all.
rules.add_perm("comments.add_comment", rules.is_authenticated & may_comment_on)
rules.add_perm("comments.post_comment", rules.is_authenticated)
rules.add_perm("comments.change_comment", rules.is_authenticated & is_author & in_edit_window)
rules.add_perm("comments.report_comment", rules.is_authenticated & is_visible_comment & ~is_author & can_see_its_target)
rules.add_perm("comments.hide_comment", is_moderator | rules.is_superuser)
rules.add_perm("comments.moderate", is_moderator | rules.is_superuser)
