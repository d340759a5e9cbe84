"""Writing, editing, reporting and hiding comments: the only place a comment changes.

Hiding is a status move through the workflow (timeline, audit of the moderator); the author
is told what was done and why. New comments reach the followers of the record, replies the
author of the comment replied to; all through `notify`.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.follows.services import followers_of
from portal.notifications.services import notify

from . import ratelimit
from .models import TRANSITIONS, Comment, CommentStatus, Report
from .registry import entry_for, is_page
from .sanitise import to_html, to_text

C = CommentStatus

comment_workflow = Workflow(model=Comment, transitions=TRANSITIONS, stamps={C.HIDDEN: "hidden_at"}, audit="comment")


class RateLimited(DomainError):
    status_code = 429

    def __init__(self):
        super().__init__(_("You are commenting very fast. Please wait a minute and try again."), "rate_limited")


def _clean(body):
    html = to_html(body)
    if not to_text(html):
        raise DomainError(_("Write your comment."), "body_required")
    return body.strip(), html


def _title_of(target):
    return getattr(target, "title", str(target))


def _purge_page(target):
    """A CMS page is cached for visitors: drop its copy once the comment is committed."""
    if is_page(target):
        from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

        transaction.on_commit(lambda: purge_pages_from_cache([target]))


@transaction.atomic
def post_comment(*, by, target, body, parent=None):
    """A comment on `target`, or a reply to `parent` (a reply to a reply joins the top comment)."""
    if not getattr(by, "is_authenticated", False) or entry_for(target) is None:
        raise NotPermitted(_("Log in to comment."))
    if not by.has_perm("comments.add_comment", target):
        raise NotPermitted(_("You cannot comment here."))
    body, html = _clean(body)
    replied_to = parent
    if parent is not None:
        if parent.content_type_id != _content_type(target).pk or parent.object_id != target.pk:
            raise DomainError(_("You can only reply to a comment on the same page."), "parent_elsewhere")
        if parent.is_hidden:
            raise DomainError(_("This comment was hidden by a moderator; it cannot be replied to."), "parent_hidden")
        parent = parent.parent or parent
    if not ratelimit.take(by):
        raise RateLimited()
    comment = Comment.objects.create(target=target, parent=parent, author=by, body=body, body_html=html)
    _tell_about_new(comment, target, replied_to, by)
    _purge_page(target)
    return comment


def _content_type(target):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(target)


REPLIED = gettext_lazy("%(name)s replied to your comment on “%(title)s”.")
NEW_COMMENT = gettext_lazy("New comment on “%(title)s”.")


def _tell_about_new(comment, target, parent, by):
    # The text is the comment's as it reads when the notification is read (hidden since: shown as hidden).
    title, url = _title_of(target), comment.get_absolute_url()
    replied_to = parent.author if parent is not None and parent.author_id != by.pk else None
    if replied_to is not None:
        notify(
            users=[replied_to],
            message="comments.replied",
            params={"name": by.public_name, "title": title},
            subject=comment,
            url=url,
        )
    others = [u for u in followers_of(target) if u.pk != by.pk and u != replied_to]
    if others:
        notify(users=others, message="comments.new", params={"title": title}, subject=comment, url=url)


@transaction.atomic
def edit_comment(*, by, comment, body):
    comment = Comment.objects.select_for_update(of=("self",)).get(pk=comment.pk)
    if not by.has_perm("comments.change_comment", comment):
        raise NotPermitted(_("A comment can be edited by its author within %(minutes)s minutes.") % _window())
    comment.body, comment.body_html = _clean(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])
    _purge_page(comment.target)
    return comment


def _window():
    from django.conf import settings

    return {"minutes": settings.COMMENT_EDIT_MINUTES}


@transaction.atomic
def report_comment(*, by, comment, reason=""):
    """Ask moderators to look at a comment. A second report by the same person changes nothing."""
    if not by.has_perm("comments.report_comment", comment):
        raise NotPermitted(_("You cannot report this comment."))
    try:
        with transaction.atomic():
            Report.objects.create(comment=comment, reporter=by, reason=(reason or "").strip()[:500])
    except IntegrityError:
        pass  # reported already: the moderators have it
    return comment


HIDDEN_TITLE = gettext_lazy("A moderator hid your comment on “%(title)s”.")
HIDDEN_BODY = gettext_lazy("Reason: %(reason)s")


def hide_comment(*, by, comment, reason):
    """Hide a comment with a reason; its open reports are dealt with; its author is told why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the comment is hidden: its author will read it."), "reason_required")

    def apply(c, now):
        c.hidden_reason = reason
        c.hidden_by = by if getattr(by, "pk", None) else None

    def after(c, previous):
        c.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
        title = _title_of(c.target)
        notify(
            users=[c.author],
            message="comments.hidden",
            params={"title": title, "reason": reason},
            url=c.get_absolute_url(),
        )
        _purge_page(c.target)

    return comment_workflow.move(
        comment, to=C.HIDDEN, by=by, perm="comments.hide_comment", note=reason, apply=apply, after=after
    )


@transaction.atomic
def dismiss_reports(*, by, comment):
    """The moderator read the reports and keeps the comment as it is."""
    if not by.has_perm("comments.moderate"):
        raise NotPermitted()
    comment.reports.filter(resolved_at__isnull=True).update(resolved_at=timezone.now())
    return comment
