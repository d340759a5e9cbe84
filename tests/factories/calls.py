"""A funding call with a rubric and a matching table, as the declarations tests need one."""

from datetime import timedelta

from django.utils import timezone

from marketplace.calls.models import CallStatus, FundingCall, MatchingRule, RubricCriterion

from .needs import category

RUBRIC = [
    ("必要性", "Necessity", 30),
    ("可行性", "Feasibility", 25),
    ("受益人数", "Beneficiaries", 20),
    ("预算合理性", "Budget", 15),
    ("机构能力", "Capacity", 10),
]


def funding_call(
    region, *, slug="2027-venture", status=CallStatus.OPEN, days_left=10, documents="项目预算表", **fields
):
    now = timezone.now()
    call = FundingCall.objects.create(
        title=fields.pop("title", "2027年度社区公益创投"),
        slug=slug,
        summary="扶持社会组织在社区开展为老、助残、儿童服务项目。",
        region=region,
        pool=fields.pop("pool", 50_000_000),
        opens_at=fields.pop("opens_at", now - timedelta(days=20)),
        closes_at=fields.pop("closes_at", now + timedelta(days=days_left)),
        required_documents=documents,
        status=status,
        **fields,
    )
    for i, (name, name_en, weight) in enumerate(RUBRIC):
        RubricCriterion.objects.create(call=call, name=name, name_en=name_en, weight=weight, sort_order=i)
    call.categories.add(category())
    MatchingRule.objects.create(call=call, budget_below=10_000_000, share_percent=80, cap=6_000_000)
    MatchingRule.objects.create(call=call, budget_from=10_000_000, share_percent=60, cap=15_000_000)
    return call
