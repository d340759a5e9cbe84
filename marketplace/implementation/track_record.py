"""An organisation's public track record as an implementer: completed projects, average rating, the
share of milestones reported on time, and the money paid to it in tranches.

`track_records(organisations)` computes every figure of any number of organisations in one query (a
correlated subquery per figure); `track_record(organisation)` is that for one. The organisations
app shows it on its page and API record through a hook (requested in var/requests-impl.md).
"""

from dataclasses import dataclass

from django.db import models
from django.db.models.functions import Coalesce

from marketplace.projects.models import FINISHED_STATUSES, Project
from portal.organisations.models import Organisation

from .models import Evaluation, Milestone, MilestoneStatus, Tranche, TrancheStatus, overall_expression


@dataclass(frozen=True)
class TrackRecord:
    completed_projects: int
    running_projects: int
    ratings: int
    average_rating: float | None  # 1–5, over every rating of its finished projects
    milestones_approved: int
    milestones_on_time: int
    money_handled: int  # fen paid to it in tranches

    @property
    def on_time_share(self):
        """0–100, or None before any milestone is approved."""
        if not self.milestones_approved:
            return None
        return round(self.milestones_on_time * 100 / self.milestones_approved)

    def as_api(self):
        """The record in the organisation's API `extras`: amounts as exact yuan strings, as everywhere."""
        from portal.core.money import yuan

        return {
            "completed_projects": self.completed_projects,
            "running_projects": self.running_projects,
            "ratings": self.ratings,
            "average_rating": self.average_rating,
            "on_time_share": self.on_time_share,
            "money_handled": format(yuan(self.money_handled), "f"),
        }

    @property
    def is_empty(self):
        return not (self.completed_projects or self.running_projects or self.money_handled)


def _one(queryset, value):
    """A correlated subquery: the aggregate `value` of `queryset` (one group), or null."""
    return models.Subquery(queryset.order_by().values(_group=models.Value(1)).annotate(v=value).values("v")[:1])


def _annotated(organisations):
    me = models.OuterRef("pk")
    ratings = Evaluation.objects.filter(project__implementer=me, project__status__in=FINISHED_STATUSES)
    approved = Milestone.objects.filter(project__implementer=me, status=MilestoneStatus.APPROVED)
    int_field = models.IntegerField()
    return organisations.annotate(
        tr_completed=Coalesce(
            _one(Project.objects.filter(implementer=me, status__in=FINISHED_STATUSES), models.Count("pk")),
            0,
            output_field=int_field,
        ),
        tr_running=Coalesce(
            _one(Project.objects.filter(implementer=me).exclude(status__in=FINISHED_STATUSES), models.Count("pk")),
            0,
            output_field=int_field,
        ),
        tr_ratings=Coalesce(_one(ratings, models.Count("pk")), 0, output_field=int_field),
        tr_average=_one(ratings, models.Avg(overall_expression())),
        tr_approved=Coalesce(_one(approved, models.Count("pk")), 0, output_field=int_field),
        tr_on_time=Coalesce(
            _one(approved.filter(reported_on_time=True), models.Count("pk")), 0, output_field=int_field
        ),
        tr_money=Coalesce(
            _one(Tranche.objects.filter(organisation=me, status=TrancheStatus.PAID), models.Sum("amount")),
            0,
            output_field=models.BigIntegerField(),
        ),
    )


def _record(row):
    return TrackRecord(
        completed_projects=row.tr_completed,
        running_projects=row.tr_running,
        ratings=row.tr_ratings,
        average_rating=round(row.tr_average, 2) if row.tr_average is not None else None,
        milestones_approved=row.tr_approved,
        milestones_on_time=row.tr_on_time,
        money_handled=int(row.tr_money),
    )


def track_records(organisations):
    """{organisation id: TrackRecord} for `organisations` (a queryset or records), in one query."""
    if not isinstance(organisations, models.QuerySet):
        organisations = Organisation.objects.filter(pk__in=[o.pk for o in organisations])
    return {row.pk: _record(row) for row in _annotated(organisations.order_by()).only("pk")}


def track_record(organisation):
    """The TrackRecord of one organisation, in one query."""
    return track_records(Organisation.objects.filter(pk=organisation.pk)).get(
        organisation.pk, TrackRecord(0, 0, 0, None, 0, 0, 0)
    )
