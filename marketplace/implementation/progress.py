"""A project's implementation as the pages show it, in a fixed number of queries whatever its size:
milestones and reports on one timeline (newest first), spending against each budget line, tranches,
and the residents' ratings summed up per criterion."""

from dataclasses import dataclass, field
from datetime import datetime, time

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import CRITERIA, EvaluationWindow, Milestone, ProgressReport, SpendingLine, TrancheStatus

TIMELINE_REPORTS = 50  # the page shows the latest reports; the API lists them all


@dataclass
class RatingSummary:
    count: int = 0
    overall: float | None = None
    criteria: list = field(default_factory=list)  # [(label, average)]
    online: int = 0
    paper: int = 0
    comments: list = field(default_factory=list)

    @property
    def overall_percent(self):
        return round((self.overall or 0) * 20)


@dataclass
class Progress:
    milestones: list
    reports: list
    timeline: list  # [(when, "milestone" | "report", record)]
    budget: list  # [(budget line, spent)]
    spent: int
    paid: int
    due: int
    rating: RatingSummary
    window: EvaluationWindow | None

    @property
    def is_empty(self):
        return not (self.milestones or self.reports or self.rating.count or self.window)


def rating_summary(project, *, comments=5):
    from .models import Evaluation, EvaluationChannel, overall_expression

    aggregates = {f"avg_{name}": models.Avg(name) for name, _label, _question in CRITERIA}
    row = Evaluation.objects.filter(project=project).aggregate(
        count=models.Count("pk"),
        overall=models.Avg(overall_expression()),
        online=models.Count("pk", filter=models.Q(channel=EvaluationChannel.ONLINE)),
        **aggregates,
    )
    summary = RatingSummary(count=row["count"], online=row["online"], paper=row["count"] - row["online"])
    if row["count"]:
        summary.overall = round(row["overall"], 1)
        summary.criteria = [(label, round(row[f"avg_{name}"], 1)) for name, label, _question in CRITERIA]
        summary.comments = list(
            Evaluation.objects.filter(project=project).exclude(comment="").order_by("-created_at", "-pk")[:comments]
        )
    return summary


def progress_of(project, *, user=None, full=False):
    milestones = list(Milestone.objects.filter(project=project).select_related("tranche").order_by("due_on", "pk"))
    reports = list(
        ProgressReport.objects.filter(project=project)
        .select_related("milestone", "organisation")
        .prefetch_related("photos", "spending__budget_line")
        .order_by("-created_at", "-pk")[: TIMELINE_REPORTS if full else 10]
    )
    spent_by_line = dict(
        SpendingLine.objects.filter(report__project=project)
        .values_list("budget_line")
        .annotate(total=Coalesce(models.Sum("amount"), 0))
        .order_by()
    )
    budget = [(line, spent_by_line.get(line.pk, 0)) for line in project.budget_lines.all()]
    tz = timezone.get_current_timezone()
    timeline = [(r.created_at, "report", r) for r in reports]
    for m in milestones:
        when = m.reported_at or timezone.make_aware(datetime.combine(m.due_on, time(23, 59)), tz)
        timeline.append((when, "milestone", m))
    timeline.sort(key=lambda item: item[0], reverse=True)
    tranches = [getattr(m, "tranche", None) for m in milestones]
    tranches = [t for t in tranches if t is not None]
    return Progress(
        milestones=milestones,
        reports=reports,
        timeline=timeline,
        budget=budget,
        spent=sum(spent_by_line.values()),
        paid=sum(t.amount for t in tranches if t.status == TrancheStatus.PAID),
        due=sum(t.amount for t in tranches if t.status == TrancheStatus.DUE),
        rating=rating_summary(project),
        window=EvaluationWindow.objects.filter(project=project).first(),
    )
