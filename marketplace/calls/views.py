"""Funding calls' public pages, and the declaration form an NGO fills in over several steps.

Nothing typed is lost: every step saves the draft as it is (only sizes are checked), a script saves
it again a moment after each change (`autosave`), and keeps a copy in the browser when the server
cannot take it (a session that expired, a network gone), which the page puts back once the member
is signed in again. Submitting checks completeness, eligibility and the deadline on the server.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts.models import User
from portal.accounts.roles import role_facts
from portal.core import why_not
from portal.core.errors import DomainError
from portal.core.kept_views import keep_until, kept_for_anonymous
from portal.core.languages import mark_written_fields
from portal.core.transitions import NotPermitted
from portal.organisations.models import Organisation, OrganisationKind

from . import results, services
from . import review as review_services
from .actions import AWARD_ACTIONS, CALL_ACTIONS, DECLARATION_ACTIONS, OBJECTION_ACTIONS, REVIEW_ACTIONS
from .forms import (
    AnswerForm,
    AttachmentForm,
    BudgetLineFormSet,
    ObjectionForm,
    OverrideForm,
    PanelForm,
    PlanForm,
    ProblemForm,
)
from .models import (
    Award,
    Declaration,
    DeclarationAttachment,
    DeclarationStatus,
    FundingCall,
    Objection,
    ReviewAssignment,
)

STEPS = [  # lazy: read in the reader's language
    ("problem", gettext_lazy("Problem and beneficiaries")),
    ("plan", gettext_lazy("Activities, timeline and team")),
    ("budget", gettext_lazy("Budget")),
    ("documents", gettext_lazy("Documents")),
    ("review", gettext_lazy("Check and submit")),
]
STEP_NAMES = [name for name, _label in STEPS]
STEP_FORMS = {"problem": ProblemForm, "plan": PlanForm}

call_action = CALL_ACTIONS.page_view(FundingCall)
objection_action = OBJECTION_ACTIONS.page_view(Objection, queryset=Objection.objects.select_related("call__region"))
C_NOTICE, C_DECIDED = "notice", "decided"


@login_required
@require_POST
def object_to(request, slug):
    call = get_object_or_404(FundingCall, slug=slug)
    form = ObjectionForm(request.POST, call=call, prefix="objection")
    if form.is_valid():
        try:
            results.object_to_results(by=request.user, call=call, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your objection is recorded; staff answer it here, in public."))
            return redirect(call)
    # Refused: the page again, with the reasons as typed and the message at the form.
    return _call_page(request, slug, objection_form=form, status=400)


def _ngos_of(user):
    if not user.is_authenticated:
        return []
    ids = role_facts(user).organisation_ids
    return list(Organisation.objects.filter(pk__in=ids, kind=OrganisationKind.NGO).order_by("name"))


@kept_for_anonymous
def call_list(request):
    calls = FundingCall.objects.visible_to(request.user).select_related("region").order_by("-opens_at", "-id")
    return render(request, "calls/call_list.html", {"calls": calls, "now": timezone.now()})


def _why_not_declare(request, call, ngos):
    if not call.accepting():
        return None
    if not request.user.is_authenticated:
        return why_not.log_in(request, _("Members of a verified NGO may declare a project to this call."))
    if not ngos:
        return why_not.because(_("Only members of an NGO may declare a project. Join or register your NGO first."))
    return None


@kept_for_anonymous
def call_detail(request, slug):
    return _call_page(request, slug)


def _call_page(request, slug, objection_form=None, status=200):
    """The call's page; `objection_form` bound with what a person typed when their objection was refused."""
    call = get_object_or_404(
        FundingCall.objects.select_related("region").prefetch_related("criteria", "matching_rules", "categories"),
        slug=slug,
    )
    if not request.user.has_perm("calls.view_call", call):
        raise Http404
    keep_until(request, call.opens_at, call.closes_at)  # "declare" appears and disappears by the clock
    ngos = _ngos_of(request.user)
    eligible = [(ngo, services.eligibility_problems(call, ngo)) for ngo in ngos] if call.accepting() else []
    mine = (
        Declaration.objects.filter(call=call, organisation__in=ngos).select_related("organisation").order_by("-id")
        if ngos
        else []
    )
    available = CALL_ACTIONS.available(call, request.user)
    return render(
        request,
        "calls/call_detail.html",
        {
            "call": call,
            "ngos": ngos,
            "eligible": eligible,
            "mine": mine,
            "why_not": _why_not_declare(request, call, ngos),
            "available": available,
            "forms": {name: CALL_ACTIONS[name].form(prefix=name) for name in available if CALL_ACTIONS[name].form},
            "submitted_count": call.declarations.filter(status=DeclarationStatus.SUBMITTED).count(),
            "can_manage": request.user.has_perm("calls.manage_call", call),
            "results": Paginator(
                review_services.awards_of(call).select_related("project"), review_services.BOARD_PAGE_SIZE
            ).get_page(request.GET.get("results"))
            if call.status in (C_NOTICE, C_DECIDED)
            else None,
            "objections": call.objections.all() if call.status in (C_NOTICE, C_DECIDED, "review") else [],
            "objection_form": objection_form
            or (
                ObjectionForm(call=call, prefix="objection")
                if call.status == C_NOTICE and request.user.is_authenticated
                else None
            ),
            "reviewing": request.user.is_authenticated
            and ReviewAssignment.objects.filter(declaration__call=call, reviewer=request.user).exists(),
        },
        status=status,
    )


@login_required
@require_POST
def declare(request, slug):
    call = get_object_or_404(FundingCall, slug=slug)
    organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
    if not request.user.has_perm("calls.add_declaration"):
        raise PermissionDenied
    try:
        declaration = services.start_declaration(by=request.user, call=call, organisation=organisation)
    except NotPermitted as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(call)
    return redirect("calls:declaration_step", pk=declaration.pk, step=STEP_NAMES[0])


def _declaration(request, pk, perm="calls.view_declaration"):
    declaration = get_object_or_404(Declaration.objects.select_related("call", "organisation"), pk=pk)
    if not request.user.has_perm("calls.view_declaration", declaration):
        raise Http404  # another NGO's declaration does not exist for this reader
    if perm != "calls.view_declaration" and not request.user.has_perm(perm, declaration):
        raise PermissionDenied
    return declaration


def _step_context(declaration, step):
    index = STEP_NAMES.index(step)
    return {
        "declaration": declaration,
        "call": declaration.call,
        "steps": STEPS,
        "step": step,
        "step_label": STEPS[index][1],
        "step_number": index + 1,
        "previous": STEP_NAMES[index - 1] if index else None,
        "next": STEP_NAMES[index + 1] if index + 1 < len(STEPS) else None,
        "past_deadline": not declaration.call.accepting(),
    }


def _lines_from(formset):
    return [
        {name: form.cleaned_data.get(name) for name in ("item", "amount", "requested", "self_raised", "other_sources")}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _initial_lines(declaration):
    return [
        {
            "item": line.item,
            "amount": line.amount,
            "requested": line.requested,
            "self_raised": line.self_raised,
            "other_sources": line.other_sources,
        }
        for line in declaration.budget_lines.all()
    ]


@login_required
def declaration_step(request, pk, step):
    if step not in STEP_NAMES:
        raise Http404
    declaration = _declaration(request, pk, perm="calls.change_declaration")
    if declaration.status != DeclarationStatus.DRAFT:
        return redirect(declaration)
    context = _step_context(declaration, step)
    autosave = request.POST.get("autosave") == "1"
    form = formset = attach_form = None
    if step in STEP_FORMS:
        form = STEP_FORMS[step](request.POST or None, instance=declaration)
    elif step == "budget":
        formset = BudgetLineFormSet(request.POST or None, initial=_initial_lines(declaration), prefix="lines")
    elif step == "documents":
        attach_form = AttachmentForm(request.POST or None, request.FILES or None, documents=declaration.call.documents)
    if request.method == "POST":
        try:
            saved = _save_step(request, declaration, step, form, formset, attach_form)
        except DomainError as exc:
            if autosave:
                return JsonResponse({"saved": False, "message": exc.message}, status=400)
            messages.error(request, exc.message)
            saved = False
        if autosave:
            errors = (form.errors if form is not None else None) or (
                formset.errors if formset is not None and any(formset.errors) else None
            )
            return JsonResponse(
                {"saved": bool(saved), "at": timezone.localtime().strftime("%H:%M:%S"), "errors": errors or {}},
                status=200 if saved else 400,
            )
        if saved:
            target = request.POST.get("go") or step
            if target not in STEP_NAMES:
                target = step
            if target != step or step != "documents":
                messages.success(request, _("Saved."))
            return redirect("calls:declaration_step", pk=declaration.pk, step=target)
    if step == "review":
        context["missing"] = services.missing_for_submit(declaration)
        context["problems"] = services.eligibility_problems(declaration.call, declaration.organisation)
        context["totals"] = declaration.totals()
    for shown in (form, attach_form, *(formset.forms if formset is not None else ())):
        if shown is not None:
            mark_written_fields(shown)
    context.update({"form": form, "formset": formset, "attach_form": attach_form})
    status = 400 if request.method == "POST" else 200
    return render(request, "calls/declaration_step.html", context, status=status)


def _save_step(request, declaration, step, form, formset, attach_form):
    """Save what the step holds; False (with the form's errors shown) when a value cannot be stored."""
    by = request.user
    if form is not None:
        if not form.is_valid():
            # Keep the fields that are fine; the form shows the others with what was typed.
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data}
            services.save_draft(by=by, declaration=declaration, fields=fields)
            return False
        services.save_draft(by=by, declaration=declaration, fields=form.cleaned_data)
        return True
    if formset is not None:
        if not formset.is_valid():
            return False
        services.save_draft(by=by, declaration=declaration, lines=_lines_from(formset))
        return True
    if attach_form is not None:
        if request.POST.get("remove"):
            attachment = get_object_or_404(declaration.attachments, pk=request.POST["remove"])
            services.remove_document(by=by, attachment=attachment)
            messages.success(request, _("The document is removed."))
            return True
        if not request.FILES:
            return True  # moving on without a new file
        if not attach_form.is_valid():
            return False
        services.attach_document(
            by=by,
            declaration=declaration,
            document=attach_form.cleaned_data["document"],
            file=attach_form.cleaned_data["file"],
        )
        messages.success(request, _("The document is attached."))
        return True
    return True


@login_required
def declaration_detail(request, pk):
    declaration = _declaration(request, pk)
    available = DECLARATION_ACTIONS.available(declaration, request.user)
    return render(
        request,
        "calls/declaration_detail.html",
        {
            "declaration": declaration,
            "call": declaration.call,
            "available": available,
            "withdraw_form": DECLARATION_ACTIONS["withdraw"].form(prefix="withdraw")
            if "withdraw" in available
            else None,
            "totals": declaration.totals(),
            "editable": declaration.status == DeclarationStatus.DRAFT
            and request.user.has_perm("calls.change_declaration", declaration),
        },
    )


declaration_action = DECLARATION_ACTIONS.page_view(
    Declaration, queryset=Declaration.objects.select_related("call", "organisation")
)


@login_required
def my_declarations(request):
    declarations = (
        Declaration.objects.filter(organisation_id__in=role_facts(request.user).organisation_ids)
        .select_related("call", "organisation")
        .order_by("-updated_at", "-id")
    )
    return render(request, "calls/my_declarations.html", {"declarations": declarations})


@login_required
def attachment(request, pk, attachment_pk):
    declaration = _declaration(request, pk)
    document = get_object_or_404(DeclarationAttachment, pk=attachment_pk, declaration=declaration)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


# --- joint review ---------------------------------------------------------------------------------


@login_required
def my_reviews(request):
    return render(request, "calls/my_reviews.html", {"reviews": review_services.my_reviews(request.user)})


@login_required
def review_detail(request, pk):
    assignment = get_object_or_404(review_services.review_queryset(), pk=pk)
    if not request.user.has_perm("calls.view_review", assignment):
        raise Http404
    declaration = assignment.declaration
    criteria = list(declaration.call.criteria.all())
    mine = assignment.reviewer_id == request.user.pk
    errors, typed = {}, {}
    if request.method == "POST" and mine:
        typed = {
            c.pk: (request.POST.get(f"score-{c.pk}", ""), request.POST.get(f"comment-{c.pk}", "")) for c in criteria
        }
        scores = {pk: (int(s) if s.isdigit() else None, comment) for pk, (s, comment) in typed.items()}
        try:
            review_services.submit_scores(by=request.user, review=assignment, scores=scores)
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            messages.error(request, exc.message)
            errors = getattr(exc, "fields", {})
        else:
            messages.success(request, REVIEW_ACTIONS["submit"].done)
            return redirect(assignment)
    shown = review_services.scores_visible_to(request.user, declaration).filter(status="submitted")
    rows = [
        {
            "criterion": c,
            "typed": typed.get(c.pk, ("", "")),
            "error": errors.get(c.pk),
        }
        for c in criteria
    ]
    return render(
        request,
        "calls/review_detail.html",
        {
            "review": assignment,
            "declaration": declaration,
            "call": declaration.call,
            "rows": rows,
            "mine": mine,
            "open": mine and assignment.status == "assigned" and declaration.call.status == "review",
            "scored": shown.prefetch_related("scores__criterion").select_related("reviewer"),
            "totals": declaration.totals(),
            "conflict_form": REVIEW_ACTIONS["conflict"].form(prefix="conflict"),
            "score_choices": range(11),
        },
        status=400 if errors else 200,
    )


review_action = REVIEW_ACTIONS.page_view(ReviewAssignment, queryset=review_services.review_queryset())
award_action = AWARD_ACTIONS.page_view(Award, queryset=Award.objects.select_related("call__region"))


@login_required
def review_board(request, slug):
    call = get_object_or_404(FundingCall.objects.select_related("region"), slug=slug)
    if not request.user.has_perm("calls.manage_call", call):
        raise Http404
    panel_form = PanelForm(request.POST or None)
    if request.method == "POST" and panel_form.is_valid():
        reviewer = User.objects.filter(username=panel_form.cleaned_data["username"]).first()
        if reviewer is None:
            panel_form.add_error("username", _("No account has this user name."))
        else:
            try:
                review_services.seat_reviewer(
                    by=request.user,
                    call=call,
                    reviewer=reviewer,
                    kind=panel_form.cleaned_data["kind"],
                    reserve=panel_form.cleaned_data["reserve"],
                )
            except DomainError as exc:
                panel_form.add_error(None, exc.message)
            else:
                messages.success(request, _("The reviewer is on the panel."))
                return redirect("calls:review_board", slug=call.slug)
    available = CALL_ACTIONS.available(call, request.user)
    awards_page = Paginator(review_services.awards_of(call), review_services.BOARD_PAGE_SIZE).get_page(
        request.GET.get("awards")
    )
    return render(
        request,
        "calls/review_board.html",
        {
            "call": call,
            "panel": call.panel.select_related("reviewer"),
            "panel_form": panel_form,
            "board": review_services.progress(call, request.GET.get("page")),
            "awards": awards_page,
            "granted": call.awards.aggregate(total=Coalesce(Sum("amount"), 0))["total"],
            "open_objections": [
                (o, AnswerForm(prefix="answer", auto_id=f"id_objection{o.pk}_%s"))
                for o in call.objections.filter(status="open").select_related("award__declaration")
            ],
            "available": available,
            "override_forms": [
                (a, OverrideForm(prefix="override", auto_id=f"id_award{a.pk}_%s", initial={"amount": a.amount}))
                for a in awards_page.object_list
            ]
            if call.status == "review"
            else [],
        },
        status=400 if request.method == "POST" else 200,
    )
