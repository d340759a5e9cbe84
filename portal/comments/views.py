from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.errors import DomainError
from portal.core.paging import lookahead_page
from portal.core.transitions import NotPermitted

from . import services
from .actions import COMMENT_ACTIONS
from .forms import CommentForm, HideForm
from .models import Comment, Report
from .registry import COMMENTABLE, target_url

comment_action = COMMENT_ACTIONS.page_view(Comment)


def _target(request, kind, pk):
    entry = COMMENTABLE.get(kind)
    target = entry.get(pk) if entry is not None else None
    if target is None or not entry.can_view(request.user, target):
        raise Http404
    return target


@login_required
@require_POST
def post_comment(request, kind, pk):
    """Write a comment or a reply; a refusal shows the form again with what was written."""
    target = _target(request, kind, pk)
    if not request.user.has_perm("comments.add_comment", target):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.on(target).filter(pk=form.cleaned_data["parent"]).first()
        try:
            comment = services.post_comment(
                by=request.user, target=target, body=form.cleaned_data["body"], parent=parent
            )
        except NotPermitted:
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your comment is published."))
            return redirect(comment.get_absolute_url())
    context = {"form": form, "target": target, "target_url": target_url(target), "kind": kind}
    return render(request, "comments/comment_form.html", context, status=400)


@login_required
def edit_comment(request, pk):
    comment = get_object_or_404(Comment.objects.select_related("author"), pk=pk)
    if not request.user.has_perm("comments.change_comment", comment):
        raise PermissionDenied
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            comment = services.edit_comment(by=request.user, comment=comment, body=form.cleaned_data["body"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your comment is updated."))
            return redirect(comment.get_absolute_url())
    context = {"form": form, "comment": comment, "target": comment.target, "target_url": target_url(comment.target)}
    return render(request, "comments/comment_edit.html", context)


@login_required
def moderation_queue(request):
    """Reported comments still visible, the most reported first, with what was said about them."""
    if not request.user.has_perm("comments.moderate"):
        raise PermissionDenied
    open_reports = Report.objects.filter(resolved_at__isnull=True).select_related("reporter").order_by("created_at")
    comments = (
        Comment.objects.filter(status="visible", reports__resolved_at__isnull=True)
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .select_related("author", "content_type")
        .prefetch_related("target", Prefetch("reports", queryset=open_reports, to_attr="open_report_list"))
        .order_by("-open_reports", "created_at", "id")
    )
    page = lookahead_page(comments, request.GET.get("page"), 30)
    return render(request, "comments/moderation_queue.html", {"page": page, "hide_form": HideForm()})
