"""Two weeks of gridworker1's logs in their grid, with visits and issues (some already needs)."""

from datetime import timedelta

from django.utils import timezone

from .models import GridLog, Issue, PersonKind, Visit

VISITS = [
    (PersonKind.ELDERLY_ALONE, "赵奶奶", "3号楼201", "身体还好，冬季取暖需关注"),
    (PersonKind.LOW_INCOME, "钱大爷", "5号楼103", "低保续办材料已齐"),
    (PersonKind.DISABLED, "孙先生", "7号楼502", "轮椅需要维修"),
]
ISSUES = [("3号楼门前井盖松动", "safety"), ("楼道堆放杂物影响通行", "environment"), ("非机动车乱停放", "parking")]


def load(ctx):
    worker = ctx["users"]["gridworker1"]
    grid = ctx["grids"][0]
    today = timezone.localdate()
    created = 0
    for days_ago in range(14):
        date = today - timedelta(days=days_ago)
        if date.weekday() >= 5:
            continue
        log, is_new = GridLog.objects.get_or_create(
            author=worker,
            grid=grid,
            date=date,
            defaults={"visits_made": 6 + days_ago % 4, "summary": "入户走访，宣传垃圾分类，了解居民需求。"},
        )
        if not is_new:
            continue
        created += 1
        kind, name, address, notes = VISITS[days_ago % len(VISITS)]
        Visit.objects.create(log=log, kind=kind, person_name=name, address=address, notes=notes)
        description, slug = ISSUES[days_ago % len(ISSUES)]
        Issue.objects.create(log=log, description=description, category=ctx["categories"][slug])
    return f"{GridLog.objects.count()} grid logs"
