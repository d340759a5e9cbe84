"""Demo gifts: how the district's published projects got the money they show, and who gave it.

Runs after the projects step. The projects funded before this demo's period were claimed at
matchmaking fairs (their timeline notes say who paid): each gets one ledger entry for that
claim, with no payment behind it. The projects still raising money get real gifts, through
the services as donors and staff would make them: 郑海涛 transferring money for his company,
张桂兰 bringing cash to the community office, 马大爷 paying by card, a pledge made at the
fair that has not arrived yet, a card payment made twice by mistake and refunded.
Everything happens in time order, so the ledger's numbers and the receipts' numbers run
with the dates.

Then a deadline that was missed: the street closed funding for 临港社区“小巷管家” three days ago,
well short of its target. Both its donors were asked what should happen to their gifts: 马大爷
(council1) moved the ¥800 he brought in cash to 松林社区's activity room the next day; 张桂兰
(resident1) has not chosen yet — her card gift is refunded by default if she does not answer in time.
"""

import secrets
from datetime import datetime, time, timedelta
from functools import partial
from unittest import mock

from django.conf import settings
from django.utils import timezone, translation

from marketplace.projects.models import FUNDED_STATUSES, Project, ProjectStatus
from portal.core.demo import clock, demo_step
from portal.core.money import FEN_PER_YUAN
from portal.notifications import services as notifications
from portal.organisations.uscc import make_uscc

from . import deadlines, intents, ledger, payments, refunds
from .instructions import PaymentInstructions
from .models import DeadlineChoice, EntryKind, LedgerEntry, Payment, PaymentStatus, Provider

# (project title starts with, who, yuan, how, days after publication, reference or note, confirmed?)
# who: "company" (donor1 for the demo company), "resident" (resident1), "council" (council1)
GIFTS = [
    ("莲花山小区老楼", "company", 30_000, "offline", 6, "对公电汇 用于扶手和座椅", True),
    ("莲花山小区老楼", "council", 5_000, "stripe", 9, "", True),
    ("莲花山小区老楼", "resident", 300, "offline", 12, "社区收据 No.0418（现金）", True),
    ("莲花山小区老楼", "council", 2_000, "offline", 80, "推介会举牌认捐，尚未到账", False),
    ("大同社区", "company", 20_000, "offline", 15, "对公转账 用于服务站电脑和打印机", True),
    ("大同社区", "resident", 200, "stripe", 20, "", True),
    ("大同社区", "council", 6_000, "offline", 33, "老年协会集体捐款，银行转账", True),
    ("日新社区", "company", 24_000, "offline", 2, "对公转账", True),
    ("日新社区", "resident", 300, "stripe", 3, "", True),
    ("日新社区", "resident", 300, "stripe", 3, "refund:手机上点了两次，重复支付的一笔原路退回", True),
    ("滨河社区", "company", 15_000, "offline", 3, "对公转账 充电棚材料款", True),
    ("滨河社区", "council", 2_000, "stripe", 5, "", True),
    ("滨河社区", "resident", 200, "offline", 6, "社区收据 No.0452（现金）", True),
    ("临港社区", "resident", 500, "stripe", 4, "", True),
    ("临港社区", "council", 800, "offline", 5, "社区收据 No.0455（现金）", True),
    ("石道街社区", "company", 44_000, "offline", 4, "对公转账 屋面防水工程", True),
    ("石道街社区", "resident", 400, "offline", 6, "社区收据 No.0460（现金）", True),
    ("香炉礁社区", "company", 10_000, "offline", 40, "推介会举牌认捐，财务走流程中", False),
    ("松林社区", "resident", 500, "offline", 5, "说好月底带现金来社区", False),
]


def _at(day, hour):
    """When a gift is counted (a pledge: when it is made), never later than an hour ago."""
    at = timezone.make_aware(datetime.combine(day, time(hour, 17)))
    return min(at, timezone.now() - timedelta(hours=1))


def _payment_instructions():
    """The district's project account and the office that takes cash, as the finance office set them."""
    instructions = PaymentInstructions.load()
    instructions.payee = "西港区社区公益发展基金会"
    instructions.payee_en = "Xigang District Community Public Welfare Foundation"
    instructions.bank = "中国工商银行大连西港支行营业部"
    instructions.bank_en = "ICBC Dalian Xigang Sub-branch, Business Department"
    instructions.account_number = "3400 2011 0902 4678 315"
    instructions.office_address = "西港区民政局一楼社会捐助接收站（胜利路88号）"
    instructions.office_address_en = (
        "Donations desk, ground floor, Xigang District Civil Affairs Bureau (88 Shengli Road)"
    )
    instructions.office_hours = "周一至周五 8:30–11:30，13:30–17:00"
    instructions.office_hours_en = "Monday to Friday, 8:30–11:30 and 13:30–17:00"
    instructions.issuer = "西港区社区公益发展基金会"
    instructions.issuer_en = "Xigang District Community Public Welfare Foundation"
    instructions.issuer_uscc = make_uscc("53210299MJ0A7C2X1")
    instructions.save()


@demo_step(order=80, after=["marketplace.needs.demo_projects"])
def load(ctx):
    if Payment.objects.exists() or LedgerEntry.objects.exists():
        return f"{Payment.objects.count()} payments, {LedgerEntry.objects.count()} ledger entries (kept)"
    _payment_instructions()
    users = ctx["users"]
    company = ctx.get("company")
    donors = {"company": users["donor1"], "resident": users["resident1"], "council": users["council1"]}
    staff = users["districtstaff1"]
    projects = list(Project.objects.exclude(status=ProjectStatus.DRAFT))
    events = []
    for project in projects:
        if project.status in FUNDED_STATUSES and project.funded_at:
            events.append((project.funded_at - timedelta(minutes=30), "claim", project, None))
    for gift in GIFTS:
        project = next(p for p in projects if p.title.startswith(gift[0]))
        day = timezone.localdate(project.published_at) + timedelta(days=gift[4])
        events.append((_at(day, 9 + len(events) % 8), "gift", project, gift))
    # Start from nothing: what each project shows raised is the sum of the entries made below.
    Project.objects.filter(pk__in=[p.pk for p in projects]).update(amount_raised=0)
    quiet = partial(notifications.notify, email=False)  # the demo sends no emails
    with (
        translation.override(settings.LANGUAGE_CODE),
        mock.patch.object(intents, "notify", quiet),
        mock.patch.object(refunds, "notify", quiet),
    ):
        for at, kind, project, gift in sorted(events, key=lambda e: e[0]):
            with clock(at):
                if kind == "claim":
                    _claim(project)
                else:
                    _gift(project, gift, donors, company, staff, at)
        moved = _missed_deadline(users)
    confirmed = Payment.objects.exclude(status=PaymentStatus.PENDING).count()
    return (
        f"{LedgerEntry.objects.count()} ledger entries, {confirmed} gifts counted, "
        f"{Payment.objects.filter(status=PaymentStatus.PENDING).count()} pledges waiting, "
        f"{DeadlineChoice.objects.filter(status='pending').count()} deadline choice waiting, {moved} gift moved"
    )


MISSED = "临港社区“小巷管家”"
MOVED_TO = "松林社区居民文体活动室改造"


def _missed_deadline(users):
    """临港's funding closed three days ago, short; its donors asked; 马大爷 moved his gift."""
    missed = Project.objects.filter(title__startswith=MISSED, status=ProjectStatus.PUBLISHED).first()
    target = Project.objects.filter(title__startswith=MOVED_TO, status=ProjectStatus.PUBLISHED).first()
    if missed is None or target is None or missed.amount_raised >= missed.funding_target:
        return 0
    closed = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=3), time(17, 30)))
    Project.objects.filter(pk=missed.pk).update(funding_deadline=closed)
    quiet = partial(notifications.notify, email=False)
    with mock.patch.object(deadlines, "notify", quiet):
        with clock(closed + timedelta(hours=1)):
            deadlines.open_deadline_choices()
        choice = DeadlineChoice.objects.filter(project=missed, payment__donor=users["council1"]).first()
        if choice is None:
            return 0
        with clock(closed + timedelta(days=1, hours=16)):
            deadlines.choose_for_gift(by=users["council1"], choice=choice, option="move", target=target)
    return 1


def _claim(project):
    """A project funded at a fair before the payments went online: its claim, as one entry."""
    note = next((e.note for e in _timeline(project) if e.to_status == ProjectStatus.FUNDED), "")
    ledger.append(kind=EntryKind.GIFT, amount=project.funding_target, project=project, note=(note or "认领资助")[:200])


def _timeline(project):
    from portal.core.transitions import timeline_of

    return timeline_of(project).order_by("created_at")


def _gift(project, gift, donors, company, staff, at):
    _title, who, yuan, how, _days, reference, confirmed = gift
    donor = donors[who]
    organisation = company if who == "company" and company is not None and company.is_verified else None
    fen = yuan * FEN_PER_YUAN
    if how == Provider.STRIPE:
        intent_id = f"pi_demo_{secrets.token_hex(8)}"
        payment = Payment.objects.create(
            donor=donor, project=project, amount=fen, provider=Provider.STRIPE, stripe_payment_intent_id=intent_id
        )
        payments.workflow.start(payment, by=donor, at=at)
        payment = intents.confirm_stripe(
            payment=payment, intent={"id": intent_id, "status": "succeeded", "amount": fen}
        )
        if reference.startswith("refund:"):
            refunds.record_refund(by=staff, payment=payment, amount=fen, note=reference.removeprefix("refund:"))
        return payment
    # A pledge made the day before its money arrives (or, if it has not arrived, at `at`).
    with clock(at - timedelta(days=1, hours=2) if confirmed else at):
        payment = intents.pledge(
            by=donor, project=project, amount=fen, provider=Provider.OFFLINE, organisation=organisation,
            public_name=who == "company",
        )  # fmt: skip
    if not confirmed:
        Payment.objects.filter(pk=payment.pk).update(reference=reference)
        return payment
    return intents.confirm_offline(by=staff, payment=payment, reference=reference, received_on=timezone.localdate())
