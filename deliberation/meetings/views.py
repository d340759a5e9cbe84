from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from deliberation.councils.models import Council
from deliberation.votes import services as vote_services
from deliberation.votes.models import Option, Vote
from portal.core import why_not
from portal.core.errors import DomainError
from portal.core.kept_views import keep_until, kept_for_anonymous
from portal.core.paging import lookahead_page
from portal.core.rendered import serve_file

from . import calendar, services
from .actions import FOLLOW_UP_ACTIONS, MEETING_ACTIONS, REGISTRATION_ACTIONS
from .forms import (
    AgendaItemForm,
    CheckInForm,
    FollowUpForm,
    MeetingForm,
    MinutesForm,
    RegisterForForm,
    RegisterForm,
    VoteForm,
)
from .models import LIVE_REGISTRATION_STATUSES, AgendaItem, FollowUpAction, Meeting, MeetingStatus, Registration
from .renderers import MINUTES_PDF, minutes_key
from .serializers import LOTTERY_METHOD

PAGE_SIZE = 30


def _meeting(request, pk, *, manage=False):
    meeting = get_object_or_404(Meeting.objects.select_related("council__region"), pk=pk)
    if not request.user.has_perm("meetings.view_meeting", meeting):
        raise Http404
    if manage and not request.user.has_perm("meetings.manage_meeting", meeting):
        raise PermissionDenied
    return meeting


def _form_errors(request, form):
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


@kept_for_anonymous
def meeting_list(request):
    meetings = Meeting.objects.visible_to(request.user).select_related("council").order_by("-starts_at", "-id")
    page = lookahead_page(meetings, request.GET.get("page"), PAGE_SIZE)
    return render(request, "meetings/meeting_list.html", {"page": page})


@login_required
def meeting_create(request, council):
    council = get_object_or_404(Council, slug=council, is_active=True)
    if not request.user.has_perm("meetings.manage_meeting", council):
        raise PermissionDenied
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(by=request.user, council=council, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The meeting is drafted. Add its agenda, then announce it."))
            return redirect("meetings:agenda", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"council": council, "form": form})


def _agenda(meeting):
    votes = Vote.objects.select_related("result").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("order"))
    )
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("topic")
        .prefetch_related("documents", Prefetch("votes", queryset=votes))
        .order_by("order", "id")
    )


def _vote_rows(vote):
    from deliberation.votes.views import result_rows

    return result_rows(vote)


def agenda_item_detail(request, pk, item_pk):
    """One agenda item: its background, documents, votes and decision, and the residents' discussion of it."""
    meeting = _meeting(request, pk)
    item = next((i for i in _agenda(meeting) if i.pk == item_pk), None)
    if item is None:
        raise Http404
    for vote in item.votes.all():
        vote.rows = _vote_rows(vote)
    item.meeting = meeting
    return render(request, "meetings/agenda_item_detail.html", {"meeting": meeting, "item": item})


def _why_not_register(request, meeting):
    """Why there is no registration form for this reader on a meeting that takes registrations."""
    if meeting.status != MeetingStatus.ANNOUNCED or not meeting.needs_registration:
        return None
    if not meeting.registration_open():
        return why_not.because(_("Registration for this meeting has closed."))
    if not request.user.is_authenticated:
        return why_not.log_in(request, _("Log in to register for this meeting."))
    if not services.may_register(request.user, meeting):
        return why_not.verify_residence(meeting.council.region)
    return None


@kept_for_anonymous
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    # Registration closes, the meeting starts and ends by the clock.
    keep_until(request, meeting.registration_closes_at, meeting.starts_at, meeting.ends_at)
    user = request.user
    items = _agenda(meeting)
    for item in items:
        for vote in item.votes.all():
            vote.rows = _vote_rows(vote)
    mine = None
    if user.is_authenticated:
        mine = meeting.registrations.filter(user=user, status__in=LIVE_REGISTRATION_STATUSES).first()
    register_form = RegisterForm() if mine is None and user.has_perm("meetings.register", meeting) else None
    minutes = getattr(meeting, "minutes", None)
    available = MEETING_ACTIONS.available(meeting, user)
    manage = user.has_perm("meetings.manage_meeting", meeting)
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "mine": mine,
            "register_form": register_form,
            "why_not": None if mine is not None or register_form is not None else _why_not_register(request, meeting),
            "minutes": minutes if minutes and (minutes.published_at or manage) else None,
            "follow_ups": meeting.follow_ups.select_related("agenda_item")
            if meeting.status
            in (
                MeetingStatus.HELD,
                MeetingStatus.MINUTES_PUBLISHED,
            )
            else (),
            "available": available,
            "cancel_form": MEETING_ACTIONS["cancel"].form(prefix="cancel") if "cancel" in available else None,
            "manage": manage,
            "lottery_closed_at": services.lottery_closed_at(meeting),
            "lottery_entries": meeting.lottery_entries.split("\n") if meeting.lottery_entries else [],
            "lottery_method": LOTTERY_METHOD,
            "registered": meeting.registrations.filter(status__in=LIVE_REGISTRATION_STATUSES).count(),
        },
    )


meeting_action = MEETING_ACTIONS.page_view(Meeting)


@login_required
@require_POST
def register(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.register", meeting):
        raise PermissionDenied
    form = RegisterForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(meeting)
    try:
        registration = services.register(by=request.user, meeting=meeting, purpose=form.cleaned_data["purpose"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(meeting)
    messages.success(
        request, _("You are registered. When registration closes you will be told whether you have a seat.")
    )
    return redirect(registration)


def _registration(request, pk):
    registration = get_object_or_404(Registration.objects.select_related("meeting__council__region", "user"), pk=pk)
    if not request.user.has_perm("meetings.view_registration", registration):
        raise Http404
    return registration


@login_required
def my_registrations(request):
    """The seats I asked for: latest meetings first, each with its status and a link to its page (and QR code)."""
    registrations = (
        Registration.objects.filter(user=request.user)
        .select_related("meeting__council")
        .order_by("-meeting__starts_at", "-id")
    )
    page = lookahead_page(registrations, request.GET.get("page"), PAGE_SIZE)
    return render(request, "meetings/my_registrations.html", {"page": page})


@never_cache
@login_required
def registration_detail(request, pk):
    registration = _registration(request, pk)
    return render(
        request,
        "meetings/registration_detail.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "available": REGISTRATION_ACTIONS.available(registration, request.user),
        },
    )


@never_cache
@login_required
def registration_qr(request, pk):
    """The check-in QR code of a confirmed seat, as SVG made on the server."""
    import segno

    registration = _registration(request, pk)
    if registration.status != "confirmed":
        raise Http404
    svg = segno.make(registration.checkin_token, error="m").svg_inline(scale=6, title=_("Check-in code"))
    return HttpResponse(svg, content_type="image/svg+xml")


registration_action = REGISTRATION_ACTIONS.page_view(Registration)
follow_up_action = FOLLOW_UP_ACTIONS.page_view(FollowUpAction)


@login_required
def agenda_manage(request, pk):
    """Staff: the agenda (items, topics, documents) and registrations entered for people without an account."""
    meeting = _meeting(request, pk, manage=True)
    item_form = AgendaItemForm(meeting=meeting, prefix="item")
    person_form = RegisterForForm(prefix="person")
    if request.method == "POST":
        try:
            if "item-title" in request.POST:
                item_form = AgendaItemForm(request.POST, request.FILES, meeting=meeting, prefix="item")
                if item_form.is_valid():
                    services.add_agenda_item(by=request.user, meeting=meeting, **item_form.cleaned_data)
                    messages.success(request, _("The item is added to the agenda."))
                    return redirect("meetings:agenda", pk=meeting.pk)
            else:
                person_form = RegisterForForm(request.POST, prefix="person")
                if person_form.is_valid():
                    services.register_for(by=request.user, meeting=meeting, **person_form.cleaned_data)
                    messages.success(request, _("The person is registered."))
                    return redirect("meetings:agenda", pk=meeting.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "meetings/agenda_manage.html",
        {"meeting": meeting, "items": _agenda(meeting), "item_form": item_form, "person_form": person_form},
    )


@login_required
def registration_list(request, pk):
    meeting = _meeting(request, pk, manage=True)
    registrations = meeting.registrations.select_related("user").order_by("status", "waitlist_position", "created_at")
    page = lookahead_page(registrations, request.GET.get("page"), 100)
    return render(request, "meetings/registration_list.html", {"meeting": meeting, "page": page})


@never_cache
@login_required
def check_in(request, pk):
    """Staff at the door: scan (or type) the code of a QR ticket, or tick a registration."""
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.check_in", meeting):
        raise PermissionDenied
    form = CheckInForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("registration", "").isdigit():
                registration = meeting.registrations.filter(pk=int(request.POST["registration"])).first()
                if registration is None:
                    raise Http404
                found = services.check_in(by=request.user, meeting=meeting, registration=registration)
            elif form.is_valid():
                found = services.check_in(by=request.user, meeting=meeting, token=form.cleaned_data["token"])
            else:
                found = None
        except DomainError as exc:
            form.add_error(None if "token" not in form.fields else "token", exc.message)
        else:
            if found is not None:
                messages.success(request, _("%(name)s is checked in.") % {"name": found.display_name})
                return redirect("meetings:check_in", pk=meeting.pk)
    waiting = meeting.registrations.filter(status="confirmed", checked_in_at__isnull=True).select_related("user")
    arrived = meeting.registrations.filter(checked_in_at__isnull=False).count()
    return render(
        request,
        "meetings/check_in.html",
        {"meeting": meeting, "form": form, "waiting": waiting[:200], "arrived": arrived},
        status=400 if form.errors else 200,
    )


def _with_actions(follow_ups, user):
    """The follow-up actions, each with the names of the actions `user` may take on it now."""
    follow_ups = list(follow_ups)
    for follow_up in follow_ups:
        follow_up.actions = FOLLOW_UP_ACTIONS.available(follow_up, user)
    return follow_ups


@login_required
def minutes_edit(request, pk):
    meeting = _meeting(request, pk)
    if not request.user.has_perm("meetings.write_minutes", meeting):
        raise PermissionDenied
    minutes = getattr(meeting, "minutes", None)
    initial = {"body": minutes.body} if minutes else {}
    form = MinutesForm(request.POST or None, request.FILES or None, meeting=meeting, initial=initial, prefix="minutes")
    follow_up_form = FollowUpForm(prefix="follow")
    if request.method == "POST":
        try:
            if "follow-what" in request.POST:
                follow_up_form = FollowUpForm(request.POST, prefix="follow")
                if follow_up_form.is_valid():
                    services.add_follow_up(by=request.user, meeting=meeting, **follow_up_form.cleaned_data)
                    messages.success(request, _("The follow-up action is added."))
                    return redirect("meetings:minutes", pk=meeting.pk)
            elif form.is_valid():
                services.save_minutes(
                    by=request.user,
                    meeting=meeting,
                    body=form.cleaned_data["body"],
                    decisions=form.decisions(),
                    attachments=form.cleaned_data.get("attachments") or (),
                )
                messages.success(request, _("The minutes are saved."))
                return redirect("meetings:minutes", pk=meeting.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "meetings/minutes_form.html",
        {
            "meeting": meeting,
            "form": form,
            "follow_up_form": follow_up_form,
            "follow_ups": _with_actions(meeting.follow_ups.all(), request.user),
            "can_publish": "publish_minutes" in MEETING_ACTIONS.available(meeting, request.user),
        },
    )


def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    minutes = getattr(meeting, "minutes", None)
    if minutes is None or minutes.published_at is None:
        raise Http404
    return serve_file(request, MINUTES_PDF, minutes_key(minutes))


@login_required
def vote_create(request, pk):
    meeting = _meeting(request, pk, manage=True)
    form = VoteForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            vote = vote_services.create_vote(by=request.user, **form.service_arguments())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The vote is ready; open it when the room is ready."))
            return redirect(vote)
    return render(request, "meetings/vote_form.html", {"meeting": meeting, "form": form})


def meeting_calendar(request, pk):
    meeting = _meeting(request, pk)
    if not meeting.is_public:
        raise Http404
    return calendar.response([meeting], name=f"meeting-{meeting.pk}", request=request)


def council_calendar(request, council):
    council = get_object_or_404(Council, slug=council, is_active=True)
    meetings = Meeting.objects.public().filter(council=council).order_by("-starts_at")[:200]
    return calendar.response(meetings, name=council.slug, title=council.name, request=request)


def agenda_document(request, pk, document_pk):
    meeting = _meeting(request, pk)
    if not (meeting.is_public or request.user.has_perm("meetings.manage_meeting", meeting)):
        raise Http404
    from .models import AgendaDocument

    document = get_object_or_404(AgendaDocument, pk=document_pk, item__meeting=meeting)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
