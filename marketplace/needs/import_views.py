"""Staff pages for the bulk import of hotline exports: upload → dry run → import."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from portal.accounts.rules import is_same_person
from portal.core.errors import DomainError

from . import importing
from .models import Channel, ImportIssueKind, ImportJob, ImportStatus

LISTED = 500  # rows of errors / duplicates shown on the page
# The columns explained on the upload page: (field, what it holds, required?).
COLUMNS = [
    ("ticket", gettext_lazy("Ticket number in the hotline system; a ticket is imported once."), True),
    ("title", gettext_lazy("Title, up to 120 characters."), True),
    ("description", gettext_lazy("What the resident said (the title if empty)."), False),
    ("category", gettext_lazy("A category's name or slug."), True),
    ("community", gettext_lazy("Community name or code (a community or a grid is required)."), False),
    ("grid", gettext_lazy("Grid name or code, within the community if both are given."), False),
    ("contact_name", gettext_lazy("Contact name."), False),
    ("contact_phone", gettext_lazy("Mobile or landline number."), False),
    ("received_at", gettext_lazy("When the call was taken (a date, e.g. 2024-05-01 09:30); now if empty."), False),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel or CSV file"),
        help_text=gettext_lazy("An .xlsx or .csv export with a header row; the columns are listed below."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel"), choices=importing.IMPORT_CHANNELS, initial=Channel.HOTLINE
    )


def _require_staff(user):
    if not user.has_perm("needs.enter_need"):
        raise PermissionDenied


def _own_job(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if not (request.user.is_superuser or is_same_person(request.user, job.created_by_id)):
        raise Http404  # someone else's import: not even its existence is shown
    return job


@login_required
def import_start(request):
    _require_staff(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = importing.start_import(
                by=request.user, file=form.cleaned_data["file"], channel=form.cleaned_data["channel"]
            )
        except DomainError as exc:
            form.add_error("file" if isinstance(exc, importing.ImportFileError) else None, exc.message)
        else:
            messages.success(request, _("The file is uploaded. Check the dry run before importing."))
            return redirect("needs_import:import_job", pk=job.pk)
    columns = [(importing.HEADERS[field], help, required) for field, help, required in COLUMNS]
    jobs = ImportJob.objects.filter(created_by=request.user)[:10]
    return render(request, "needs/import/import_start.html", {"form": form, "jobs": jobs, "columns": columns})


@login_required
def import_job(request, pk):
    _require_staff(request.user)
    job = _own_job(request, pk)
    real_job = None
    if job.dry_run:
        real_job = ImportJob.objects.filter(file=job.file.name, dry_run=False, created_by=job.created_by_id).first()
    errors, more_errors = _issues(job, ImportIssueKind.ERROR)
    already, more_already = _issues(job, ImportIssueKind.TICKET)
    similar, more_similar = _issues(job, ImportIssueKind.SIMILAR)
    context = {
        "job": job,
        "running": job.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "good_rows": importing.good_rows(job),
        "real_job": real_job,
        "can_import": job.dry_run
        and real_job is None
        and job.status == ImportStatus.DONE
        and importing.good_rows(job) > 0,
        "row_errors": [{"row": i.row, "errors": i.messages} for i in errors],
        "more_errors": more_errors,
        "already": [{"row": i.row, "reason": i.messages[0], "need": i.need_id} for i in already],
        "more_already": more_already,
        "similar": [{"row": i.row, "reason": i.messages[0], "need": i.need_id} for i in similar],
        "more_similar": more_similar,
    }
    return render(request, "needs/import/import_job.html", context)


def _issues(job, kind):
    """The first LISTED issues of a kind, and how many more there are (counted only when there are more)."""
    issues = list(job.issues.filter(kind=kind).order_by(F("row").asc(nulls_first=True), "pk")[: LISTED + 1])
    more = job.issues.filter(kind=kind).count() - LISTED if len(issues) > LISTED else 0
    return issues[:LISTED], more


@login_required
@require_POST
def import_confirm(request, pk):
    _require_staff(request.user)
    job = _own_job(request, pk)
    try:
        real = importing.confirm_import(by=request.user, job=job)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("needs_import:import_job", pk=job.pk)
    messages.success(request, _("The import has started."))
    return redirect("needs_import:import_job", pk=real.pk)
