"""`{% comment_thread obj %}`: the comments on any commentable record, and the form to add one.

A fixed number of queries whatever the number of comments: one page of top comments with
their authors, their replies with theirs, and what the visitor may do.
"""

from django import template

from portal.core.paging import lookahead_page

from ..forms import CommentForm, HideForm, ReportForm
from ..models import Comment
from ..registry import entry_for

register = template.Library()
PAGE_SIZE = 50


@register.inclusion_tag("comments/includes/thread.html", takes_context=True)
def comment_thread(context, target):
    request = context["request"]
    user = request.user
    entry = entry_for(target)
    top = lookahead_page(
        Comment.objects.on(target).filter(parent=None).select_related("author"),
        request.GET.get("comments"),
        PAGE_SIZE,
    )
    replies = {}
    for reply in Comment.objects.filter(parent__in=[c.pk for c in top]).select_related("author"):
        replies.setdefault(reply.parent_id, []).append(reply)
    moderator = user.has_perm("comments.hide_comment")
    for comment in [*top, *(r for rs in replies.values() for r in rs)]:
        mine = user.is_authenticated and comment.author_id == user.pk
        comment.can_edit = mine and comment.editable_now()
        comment.can_report = user.is_authenticated and not mine and not comment.is_hidden
        comment.can_hide = moderator and not comment.is_hidden
        comment.thread_replies = replies.get(comment.pk, [])
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "target": target,
        "kind": entry.name,
        "page": top,
        "may_comment": user.has_perm("comments.add_comment", target),
        "needs_residence": entry.region is not None,
        "form": CommentForm(),
        "report_form": ReportForm(),
        "hide_form": HideForm(),
    }
