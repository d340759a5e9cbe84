from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from deliberation.councils.models import COLLECT_TOPICS, Council
from portal.accounts.roles import ADMINISTRATIVE_ROLES, scope_regions
from portal.core import why_not
from portal.core.errors import DomainError
from portal.core.kept_views import kept_for_anonymous
from portal.core.paging import lookahead_page
from portal.core.transitions import labelled_timeline
from portal.phases import services as phases
from portal.regions.models import subtree_q

from . import services
from .actions import TOPIC_ACTIONS
from .filter_form import rendered_filter_fields
from .forms import ProposeForm, TopicFilterForm
from .models import Support, Topic, TopicStatus
from .rules import SUPPORTABLE, is_resident_of_council_region

PAGE_SIZE = 30
topic_action = TOPIC_ACTIONS.page_view(Topic)


@kept_for_anonymous
def topic_list(request):
    """Every council's topics, newest first, filtered by status, council and category."""
    filters = TopicFilterForm(request.GET or None)
    if request.GET and not filters.is_valid():
        return render(request, "topics/topic_list.html", {"filters": filters, "page": []}, status=400)
    topics = Topic.objects.select_related("council", "category").order_by("-created_at", "-id")
    data = filters.cleaned_data if filters.is_bound else {}
    if data.get("status"):
        topics = topics.filter(status=data["status"])
    if data.get("council"):
        topics = topics.filter(council=data["council"])
    if data.get("category"):
        topics = topics.filter(category=data["category"])
    page = lookahead_page(topics, request.GET.get("page"), PAGE_SIZE)
    fields = rendered_filter_fields(request, filters)
    return render(request, "topics/topic_list.html", {"filters": filters, "filter_fields": fields, "page": page})


def _why_not_support(request, topic):
    """Why the support button is not there for this reader (None when there is nothing to explain)."""
    if topic.status not in SUPPORTABLE:
        return None
    user = request.user
    if not user.is_authenticated:
        return why_not.log_in(request, _("Verified residents of the area may support this topic."))
    if topic.proposed_by_id == user.pk:
        return why_not.because(_("You proposed this topic: your proposal counts as your support."))
    if not is_resident_of_council_region(user, topic):
        return why_not.verify_residence(topic.council.region)
    return None


@kept_for_anonymous
def topic_detail(request, pk):
    topic = get_object_or_404(
        Topic.objects.select_related("council__region", "category", "region", "merged_into", "source_need"), pk=pk
    )
    available = TOPIC_ACTIONS.available(topic, request.user)
    supported = request.user.is_authenticated and Support.objects.filter(topic=topic, user=request.user).exists()
    forms = {
        name: action.form(prefix=name) for name, action in TOPIC_ACTIONS.items() if name in available and action.form
    }
    reason = None if "support" in available or supported else _why_not_support(request, topic)
    context = {
        "topic": topic,
        "available": available,
        "forms": forms,
        "supported": supported,
        "why_not": reason,
        "events": labelled_timeline(topic, TopicStatus),
        "merged": topic.merged.only("pk", "title"),
        # Its online votes past their draft (the votes app sits above this one: reached by the reverse relation).
        "votes": topic.votes.exclude(status="draft").select_related("result").order_by("-created_at"),
    }
    return render(request, "topics/topic_detail.html", context)


@login_required
def propose_topic(request, slug):
    council = get_object_or_404(Council.objects.select_related("region"), slug=slug, is_active=True)
    if not request.user.has_perm("topics.add_topic", council):
        window = phases.next_phase(council, COLLECT_TOPICS)
        return render(request, "topics/topic_closed.html", {"council": council, "window": window}, status=403)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.propose_topic(by=request.user, council=council, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your topic is published. Residents of the area can support it now."))
            return redirect(topic)
    return render(request, "topics/topic_form.html", {"council": council, "form": form})


@login_required
def agenda_queue(request):
    """Topics waiting for an agenda in the staff member's area, the most supported first."""
    if not request.user.has_perm("topics.view_agenda_queue"):
        raise PermissionDenied
    scope = subtree_q(scope_regions(request.user, ADMINISTRATIVE_ROLES), field="council__region")
    topics = (
        Topic.objects.filter(scope, status=TopicStatus.QUEUED)
        .select_related("council", "category")
        .order_by("-support_count", "queued_at", "id")
    )
    page = lookahead_page(topics, request.GET.get("page"), PAGE_SIZE)
    return render(request, "topics/agenda_queue.html", {"page": page})
