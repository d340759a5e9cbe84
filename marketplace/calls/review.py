"""Joint review (联合评审) and awards: the only place reviews, scores and awards change.

Staff of the call's area seat reviewers on its panel (department officers, residents' representatives,
experts; reserves step in for the excluded) and, once declarations close, assign every submitted
declaration to every seated reviewer. A reviewer who belongs to the applying organisation is excluded
at once; one who declares a conflict of interest is excluded then; either way the declaration goes to
the first reserve who may review it. A reviewer scores every criterion with a comment, and sees the
others' scores only after submitting their own. Awards are computed from the ranking, the matching table
and the pool (`awards.py`); staff may override an amount with a recorded reason.
"""

from collections import defaultdict
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, ExpressionWrapper, F, FloatField, Q, Sum, Window
from django.db.models.functions import Abs, NullIf
from django.utils.translation import gettext as _

from portal.accounts.roles import role_facts
from portal.core.errors import DomainError
from portal.core.transitions import NotPermitted, Workflow
from portal.notifications.services import notify

from . import awards
from .models import (
    ASSIGNMENT_TRANSITIONS,
    AssignmentStatus,
    Award,
    CallStatus,
    Declaration,
    DeclarationStatus,
    PanelMember,
    ReviewAssignment,
    Score,
)

R, C = AssignmentStatus, CallStatus
MEMBER_OF_APPLICANT = "member of the applying organisation"

review_workflow = Workflow(
    model=ReviewAssignment,
    transitions=ASSIGNMENT_TRANSITIONS,
    stamps={R.SUBMITTED: "submitted_at", R.EXCLUDED: "excluded_at"},
    audit="review",
)


def _manage(by, call):
    if not (by is None or by.has_perm("calls.manage_call", call)):
        raise NotPermitted(_("Only staff of the call's area run its review."))


def _belongs_to(user, organisation_id):
    return organisation_id in role_facts(user).organisation_ids


@transaction.atomic
def seat_reviewer(*, by, call, reviewer, kind, reserve=False):
    _manage(by, call)
    if call.status not in (C.DRAFT, C.OPEN, C.REVIEW):
        raise DomainError(_("The review of this call is over."), code="review_over")
    try:
        with transaction.atomic():
            return PanelMember.objects.create(call=call, reviewer=reviewer, kind=kind, reserve=reserve)
    except IntegrityError as exc:
        raise DomainError(_("%(name)s is on the panel already.") % {"name": reviewer}, code="seated") from exc


def _assign(declaration, member, *, by):
    """Assign one declaration to one panel member; excluded at once if they belong to the applicant."""
    review, created = ReviewAssignment.objects.get_or_create(
        declaration=declaration, reviewer=member.reviewer, defaults={"kind": member.kind}
    )
    if not created:
        return review
    review_workflow.start(review, by=by)
    if _belongs_to(member.reviewer, declaration.organisation_id):
        review.conflict = MEMBER_OF_APPLICANT
        review = review_workflow.move(review, to=R.EXCLUDED, note=MEMBER_OF_APPLICANT, apply=_set_conflict(review))
        _reassign(declaration, by=by)
    else:
        from .messages import REVIEW_ASSIGNED

        notify(
            users=[member.reviewer],
            message=REVIEW_ASSIGNED,
            params={"title": declaration.title, "call": declaration.call.title},
            url=review.get_absolute_url(),
        )
    return review


def _set_conflict(review):
    conflict = review.conflict

    def apply(obj, now):
        obj.conflict = conflict

    return apply


def _reassign(declaration, *, by):
    """Give the declaration to the first reserve who has no review of it and does not belong to the applicant."""
    taken = set(ReviewAssignment.objects.filter(declaration=declaration).values_list("reviewer_id", flat=True))
    for member in PanelMember.objects.filter(call_id=declaration.call_id, reserve=True).select_related("reviewer"):
        if member.reviewer_id not in taken and not _belongs_to(member.reviewer, declaration.organisation_id):
            return _assign(declaration, member, by=by)
    return None


@transaction.atomic
def assign_reviews(*, by, call):
    """Every submitted declaration to every seated (non-reserve) reviewer. Idempotent: run again after adding
    a reviewer, and only the new reviews are made."""
    _manage(by, call)
    if call.status != C.REVIEW:
        raise DomainError(_("Reviews are assigned once declarations have closed."), code="not_in_review")
    seated = list(PanelMember.objects.filter(call=call, reserve=False).select_related("reviewer"))
    if not seated:
        raise DomainError(_("Seat reviewers on the panel first."), code="no_panel")
    made = 0
    for declaration in call.declarations.filter(status=DeclarationStatus.SUBMITTED).select_related("call"):
        for member in seated:
            if not ReviewAssignment.objects.filter(declaration=declaration, reviewer=member.reviewer).exists():
                _assign(declaration, member, by=by)
                made += 1
    return made


@transaction.atomic
def declare_conflict(*, by, review, reason):
    if not reason.strip():
        raise DomainError(_("Say what the conflict of interest is."), code="reason")
    review.conflict = reason.strip()
    moved = review_workflow.move(
        review, to=R.EXCLUDED, by=by, perm="calls.score_review", note=reason.strip(), apply=_set_conflict(review)
    )
    _reassign(moved.declaration, by=by)
    return moved


def weighted_total(criteria, scores):
    """0–100: each criterion's score (0–10) times its weight (%), over ten."""
    weights = {c.pk: c.weight for c in criteria}
    return (sum(Decimal(weights[cid]) * score for cid, score in scores.items()) / 10).quantize(awards.TWO_PLACES)


@transaction.atomic
def submit_scores(*, by, review, scores):
    """`scores`: {criterion id: (score 0–10, comment)} for every criterion of the call's rubric."""
    review = ReviewAssignment.objects.select_for_update().select_related("declaration__call").get(pk=review.pk)
    call = review.declaration.call
    if call.status != C.REVIEW:
        raise DomainError(_("This call is not in review."), code="not_in_review")
    criteria = list(call.criteria.all())
    problems = {}
    for criterion in criteria:
        given = scores.get(criterion.pk)
        if given is None or given[0] is None:
            problems[criterion.pk] = _("Score this criterion from 0 to 10.")
        elif not 0 <= int(given[0]) <= 10:
            problems[criterion.pk] = _("A score is from 0 to 10.")
        elif not (given[1] or "").strip():
            problems[criterion.pk] = _("Say why, in a comment.")
    if problems:
        error = DomainError(_("Score every criterion with a comment."), code="incomplete")
        error.fields = problems
        raise error
    total = weighted_total(criteria, {c.pk: int(scores[c.pk][0]) for c in criteria})

    def apply(obj, now):
        obj.total = total

    moved = review_workflow.move(review, to=R.SUBMITTED, by=by, perm="calls.score_review", apply=apply)
    Score.objects.bulk_create(
        Score(review=moved, criterion=c, score=int(scores[c.pk][0]), comment=scores[c.pk][1].strip()[:2000])
        for c in criteria
    )
    return moved


def scores_visible_to(user, declaration):
    """Whose scores of this declaration `user` may read: all for staff of the call's area and for a
    reviewer who has submitted their own; otherwise only their own (none for anyone else)."""
    reviews = ReviewAssignment.objects.filter(declaration=declaration)
    if user.has_perm("calls.manage_call", declaration.call):
        return reviews
    if reviews.filter(reviewer=user, status=R.SUBMITTED).exists():
        return reviews
    return reviews.filter(reviewer=user)


# --- results and awards -----------------------------------------------------------------------------


def reviewed(call):
    """Each submitted declaration with at least one submitted review, as `awards.Reviewed` (four queries)."""
    totals = defaultdict(list)
    for declaration_id, total in ReviewAssignment.objects.filter(
        declaration__call=call, status=R.SUBMITTED
    ).values_list("declaration_id", "total"):
        totals[declaration_id].append(total)
    first = call.criteria.order_by("sort_order", "id").first()
    firsts = defaultdict(list)
    if first is not None:
        for declaration_id, score in Score.objects.filter(
            criterion=first, review__status=R.SUBMITTED, review__declaration__call=call
        ).values_list("review__declaration_id", "score"):
            firsts[declaration_id].append(Decimal(score))
    budgets = defaultdict(lambda: [0, 0])
    from .models import DeclarationBudgetLine

    for declaration_id, amount, requested in DeclarationBudgetLine.objects.filter(
        declaration__call=call, declaration__status=DeclarationStatus.SUBMITTED
    ).values_list("declaration_id", "amount", "requested"):
        budgets[declaration_id][0] += amount
        budgets[declaration_id][1] += requested
    trimmed = call.aggregation == "trimmed_mean"
    entries = []
    for pk, submitted_at, beneficiaries in Declaration.objects.filter(
        call=call, status=DeclarationStatus.SUBMITTED, pk__in=list(totals)
    ).values_list("pk", "submitted_at", "beneficiaries"):
        mean_first = sum(firsts[pk]) / len(firsts[pk]) if firsts[pk] else Decimal(0)
        entries.append(
            awards.Reviewed(
                declaration_id=pk,
                score=awards.aggregate(totals[pk], trimmed),
                first_criterion=mean_first,
                submitted_at=submitted_at,
                budget=budgets[pk][0],
                beneficiaries=beneficiaries or 0,
                requested=budgets[pk][1],
                reviewers=len(totals[pk]),
            )
        )
    return entries


def bands(call):
    return [
        awards.Band(r.budget_from, r.budget_below, r.beneficiaries_from, r.beneficiaries_below, r.share_percent, r.cap)
        for r in call.matching_rules.all()
    ]


@transaction.atomic
def compute_awards(*, by, call):
    """Rank the reviewed declarations and share out the pool; replaces earlier computed awards."""
    _manage(by, call)
    if call.status != C.REVIEW:
        raise DomainError(_("Awards are computed while the call is in review."), code="not_in_review")
    if ReviewAssignment.objects.filter(declaration__call=call, status=R.ASSIGNED).exists():
        raise DomainError(_("Some reviews are not scored yet."), code="reviews_open")
    proposed = awards.allocate(reviewed(call), bands(call), call.pool)
    Award.objects.filter(call=call).delete()
    Award.objects.bulk_create(
        Award(
            call=call,
            declaration_id=p.declaration_id,
            rank=p.rank,
            score=p.score,
            reviewers=p.reviewers,
            matched_share=p.share,
            computed=p.computed,
            amount=p.amount,
            note=p.note,
        )
        for p in proposed
    )
    return call


@transaction.atomic
def override_award(*, by, award, amount, reason):
    call = award.call
    _manage(by, call)
    if call.status != C.REVIEW:
        raise DomainError(_("Awards can be changed only while the call is in review."), code="not_in_review")
    if not reason.strip():
        raise DomainError(_("Say why the computed grant is overridden."), code="reason")
    if amount < 0:
        raise DomainError(_("A grant cannot be negative."), code="amount")
    others = sum(
        Award.objects.select_for_update().filter(call=call).exclude(pk=award.pk).values_list("amount", flat=True)
    )
    if others + amount > call.pool:
        raise DomainError(_("The grants would exceed the pool."), code="pool")
    Award.objects.filter(pk=award.pk).update(amount=amount, override_reason=reason.strip(), overridden_by=by)
    award.refresh_from_db()
    return award


BOARD_PAGE_SIZE = 50
OUTLIER_POINTS = 20


def outliers(call):
    """The call's submitted reviews whose total lies more than OUTLIER_POINTS from the mean of the same
    declaration's other submitted totals: one query, the database doing the arithmetic (window sums per
    declaration), whatever the number of declarations."""
    per_declaration = [F("declaration_id")]
    gap = ExpressionWrapper(
        Abs(F("total") - (F("others_sum") - F("total")) / NullIf(F("others_n") - 1, 0)), output_field=FloatField()
    )
    return (
        ReviewAssignment.objects.filter(declaration__call=call, status=R.SUBMITTED)
        .annotate(
            others_sum=Window(Sum("total"), partition_by=per_declaration),
            others_n=Window(Count("pk"), partition_by=per_declaration),
        )
        .annotate(gap=gap)
        .filter(others_n__gt=1, gap__gt=OUTLIER_POINTS)
    )


def progress(call, page_number=None):
    """The staff board's progress: a page of the submitted declarations with their reviews, the panel's
    counts (who has scored what) and the call's outliers (the first page of them, and how many).

    A bounded number of queries whatever the number of declarations: the page (count and slice), its
    reviews and their outliers, the reviewers' counts, the outliers' count and first page.
    """
    declarations = (
        Declaration.objects.filter(call=call, status=DeclarationStatus.SUBMITTED)
        .select_related("organisation")
        .order_by("pk")
    )
    page = Paginator(declarations, BOARD_PAGE_SIZE).get_page(page_number)
    on_page = [d.pk for d in page.object_list]
    rows = defaultdict(list)
    for review in ReviewAssignment.objects.filter(declaration__in=on_page).select_related("reviewer").order_by("pk"):
        rows[review.declaration_id].append(review)
    flagged = set(outliers(call).filter(declaration__in=on_page).values_list("pk", flat=True)) if on_page else set()
    board = []
    for declaration in page.object_list:
        for review in rows[declaration.pk]:
            review.outlier = review.pk in flagged
        board.append((declaration, rows[declaration.pk]))
    first_outliers = list(
        outliers(call).select_related("reviewer", "declaration").order_by("declaration_id", "pk")[:BOARD_PAGE_SIZE]
    )
    return {
        "page": page,
        "rows": board,
        "reviewers": reviewer_counts(call),
        "outliers": first_outliers,
        "outlier_count": outliers(call).count() if len(first_outliers) == BOARD_PAGE_SIZE else len(first_outliers),
    }


def reviewer_counts(call):
    """Per reviewer of the call: how many reviews are assigned, submitted and excluded (one query)."""
    counted = (
        ReviewAssignment.objects.filter(declaration__call=call)
        .values("reviewer_id", "reviewer__username", "reviewer__display_name")
        .annotate(
            assigned=Count("pk", filter=Q(status=R.ASSIGNED)),
            submitted=Count("pk", filter=Q(status=R.SUBMITTED)),
            excluded=Count("pk", filter=Q(status=R.EXCLUDED)),
        )
        .order_by("reviewer__username")
    )
    return list(counted)


def awards_of(call):
    return Award.objects.filter(call=call).select_related("declaration__organisation").order_by("rank")


def my_reviews(user):
    return (
        ReviewAssignment.objects.filter(reviewer=user)
        .select_related("declaration__call", "declaration__organisation")
        .order_by("status", "-created_at")
    )


def review_queryset():
    return ReviewAssignment.objects.select_related("declaration__call__region", "declaration__organisation", "reviewer")


def open_reviews_exist(call):
    return ReviewAssignment.objects.filter(Q(declaration__call=call) & Q(status=R.ASSIGNED)).exists()
