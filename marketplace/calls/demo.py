"""Two funding calls of the district and the declarations its NGOs made to them, through the real services.

2027年度社区公益创投 takes declarations now: 春晖 and 星星雨 have submitted theirs, 绿色家园 is halfway
through a draft, 邻里守望 withdrew one to rework it. 2026年度助残服务按比例扶持 closed ten days ago and
is in review with three declarations. Each is made at its own date under the demo clock.
"""

from datetime import timedelta
from functools import partial
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from portal.core.demo import clock, demo_step
from portal.core.money import FEN_PER_YUAN
from portal.notifications.services import notify
from portal.organisations.models import Organisation
from portal.regions.models import Region, RegionLevel

from . import results, review, services
from .models import Award, Declaration, FundingCall, MatchingRule, ReviewAssignment, ReviewerKind, RubricCriterion

CHUNHUI = "西港区春晖社会工作服务中心"
LINLI = "邻里守望志愿者协会"
GREEN = "绿色家园环保公益促进会"
STARS = "西港区星星雨自闭症儿童关爱中心"
# When each NGO was registered with the civil affairs bureau (登记证书).
REGISTERED = {CHUNHUI: (2016, 3, 18), LINLI: (2019, 9, 2), GREEN: (2021, 5, 27), STARS: (2014, 11, 6)}

RUBRIC = [
    ("需求必要性", "Need", 25, "是否回应了居民反映集中的诉求，有走访、问卷或平台诉求数据支撑。"),
    ("方案可行性", "Feasibility", 25, "活动安排、时间进度和风险应对是否具体可行。"),
    ("受益面", "Reach", 20, "直接受益人数和覆盖的困难群体。"),
    ("预算合理性", "Budget", 15, "各项支出是否必要、单价是否合理，自筹比例。"),
    ("机构能力", "Capacity", 15, "团队专业背景、同类项目经验和以往成效评议结果。"),
]
# (budget from, budget below, beneficiaries from, beneficiaries below, share %, cap) in yuan.
MATCHING = [
    (0, 100_000, 0, 100, 70, 60_000),
    (0, 100_000, 100, None, 80, 80_000),
    (100_000, None, 0, 100, 50, 100_000),
    (100_000, None, 100, None, 60, 150_000),
]

VENTURE = {
    "title": "2027年度西港区社区公益创投",
    "title_en": "Xigang District community venture fund 2027",
    "slug": "2027-community-venture",
    "year": 2027,
    "summary": "区民政局安排福彩公益金60万元，支持社会组织在社区开展为老服务、儿童关爱、助残和环境治理项目。"
    "项目周期一般为10至12个月，由社会组织自主设计、自筹部分经费，经联合评审后按比例扶持。",
    "pool": 600_000,
    "documents": "项目预算表\n机构年检报告",
    "min_years": 2,
}
DISABILITY = {
    "title": "2026年度助残服务项目按比例扶持",
    "title_en": "Matching funds for disability services 2026",
    "slug": "2026-disability-matching",
    "year": 2026,
    "summary": "区残联对社会组织为辖区残疾人及其家庭提供的康复、就业和喘息服务项目，按投入规模和受益人数给予比例扶持。",
    "pool": 300_000,
    "documents": "项目预算表",
    "min_years": 0,
}

# (organisation, title, problem, target group, beneficiaries, activities, timeline, team, budget lines)
# Budget lines: (item, cost, asked of the call, raised by the NGO, other sources) in yuan.
VENTURE_DECLARATIONS = [
    (
        CHUNHUI,
        "独居老人“午间一碗饭”助餐探访",
        "港湾街道三个老旧社区有独居老人212位，走访中近半数说午饭常凑合，去年冬天两位老人在家摔倒后一天多才被发现。",
        "港湾街道80岁以上独居老人",
        120,
        "联合社区食堂每周五天送午餐到户，送餐同时做简单探访和安全检查；每月一次集体生日会；为行动不便的老人装紧急呼叫器。",
        "1—2月摸底建档、招募送餐志愿者；3—12月送餐探访；12月服务对象满意度调查和成效评议。",
        "项目主管1名（中级社工师），专职社工2名，送餐志愿者24名（以低龄老人和楼栋长为主）。",
        [
            ("送餐补贴（120人×10个月）", 96_000, 72_000, 24_000, 0),
            ("紧急呼叫器及安装", 18_000, 9_000, 0, 9_000),
            ("志愿者保险与交通补贴", 12_000, 9_000, 3_000, 0),
        ],
        "submitted",
    ),
    (
        STARS,
        "星星家庭喘息服务站",
        "区内登记在册的自闭症儿童家庭约160户，家长长期全职照护，去年家长心理测评中重度焦虑占四成。",
        "3—14岁自闭症儿童及其家长",
        60,
        "每周六在香炉礁社区儿童之家开设半日托管，由康复师和志愿者带孩子做融合活动，家长可以休息或参加减压小组；每季度一次家长培训。",
        "3月招募和培训志愿者；4—12月每周六开放；6月、12月各做一次家长压力测评对比。",
        "康复师2名，社工1名，经过培训的大学生志愿者20名。",
        [
            ("康复师课时费", 48_000, 33_600, 14_400, 0),
            ("活动教具与感统器材", 15_000, 10_500, 0, 4_500),
            ("家长减压小组", 9_000, 6_300, 2_700, 0),
        ],
        "submitted",
    ),
    (
        LINLI,
        "老楼楼道“微更新”议事与维护",
        "北京街道有18栋无物业老楼，楼道堆物和照明坏了没人管。",
        "无物业老楼居民",
        900,
        "每栋楼推选楼道长，用议事会的办法商量楼道公约，志愿者每月一次集中清理。",
        "4—11月。",
        "会长1名，片区队长4名，志愿者32名。",
        [("清理工具和照明更换", 30_000, 21_000, 9_000, 0)],
        "withdrawn",
    ),
    (
        GREEN,
        "楼道垃圾分类“绿色账户”",
        "沿海社区试点后分类准确率提高明显，想扩展到临港、松林两个社区，但督导人手不够。",
        "临港、松林社区居民",
        None,
        "",
        "",
        "",
        [("积分兑换物品", 20_000, 0, 0, 0)],
        "draft",
    ),
]
DISABILITY_DECLARATIONS = [
    (
        STARS,
        "大龄自闭症青年职业体验",
        "16岁以上的自闭症青年毕业后多数待在家里，家长最担心的是孩子将来怎么办。",
        "16—25岁自闭症青年",
        24,
        "与辖区三家爱心企业合作开设职业体验岗位，由就业辅导员陪同上岗，每月评估。",
        "2026年3月至2027年2月。",
        "就业辅导员2名，企业带教师傅6名。",
        [("辅导员劳务", 72_000, 43_200, 28_800, 0), ("岗位保险与交通", 12_000, 7_200, 4_800, 0)],
        "submitted",
    ),
    (
        CHUNHUI,
        "残疾人家庭上门康复指导",
        "辖区重度肢体残疾人约300人，多数出门不便，家属不懂康复训练方法。",
        "重度肢体残疾人及其照护者",
        150,
        "康复治疗师每两周上门一次，教家属做被动训练和防压疮护理；建立康复档案。",
        "2026年4月至12月。",
        "康复治疗师2名，社工2名。",
        [("治疗师上门服务费", 90_000, 54_000, 36_000, 0), ("康复辅具借用", 30_000, 18_000, 0, 12_000)],
        "submitted",
    ),
    (
        LINLI,
        "盲人朋友“陪你走一程”出行陪伴",
        "视障居民去医院、办事要人陪，家里人上班时只能等。",
        "视障居民",
        40,
        "志愿者预约陪同出行，每次不超过半天；组织一次无障碍设施体验和建议征集。",
        "2026年全年。",
        "协调员1名，陪伴志愿者30名。",
        [("志愿者交通与保险", 16_000, 11_200, 4_800, 0)],
        "submitted",
    ),
]

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"


def _call(spec, region, opens_at, closes_at, staff):
    call = FundingCall.objects.create(
        title=spec["title"],
        title_en=spec["title_en"],
        slug=spec["slug"],
        year=spec["year"],
        summary=spec["summary"],
        region=region,
        pool=spec["pool"] * FEN_PER_YUAN,
        opens_at=opens_at,
        closes_at=closes_at,
        required_documents=spec["documents"],
        min_years_registered=spec["min_years"],
        max_active_projects=3,
        notice_days=7,
    )
    for order, (name, name_en, weight, description) in enumerate(RUBRIC):
        RubricCriterion.objects.create(
            call=call, name=name, name_en=name_en, weight=weight, description=description, sort_order=order
        )
    for order, (b_from, b_below, n_from, n_below, share, cap) in enumerate(MATCHING):
        MatchingRule.objects.create(
            call=call,
            budget_from=b_from * FEN_PER_YUAN,
            budget_below=b_below * FEN_PER_YUAN if b_below else None,
            beneficiaries_from=n_from,
            beneficiaries_below=n_below,
            share_percent=share,
            cap=cap * FEN_PER_YUAN,
            sort_order=order,
        )
    with clock(opens_at - timedelta(days=3)):
        services.publish_call(by=staff, call=call, note="经区民政局党组会研究同意发布。")
    call.refresh_from_db()
    return call


def _declare(call, spec, members, at):
    organisation_name, title, problem, group, reached, activities, timeline, team, lines, outcome = spec
    organisation = Organisation.objects.get(name=organisation_name)
    member = members[organisation.pk]
    with clock(at):
        declaration = services.start_declaration(by=member, call=call, organisation=organisation)
        fields = {
            "title": title,
            "problem": problem,
            "target_group": group,
            "beneficiaries": reached,
            "activities": activities,
            "timeline": timeline,
            "team": team,
        }
        rows = [
            {
                "item": item,
                "amount": cost * FEN_PER_YUAN,
                "requested": asked * FEN_PER_YUAN,
                "self_raised": own * FEN_PER_YUAN,
                "other_sources": other * FEN_PER_YUAN,
            }
            for item, cost, asked, own, other in lines
        ]
        declaration = services.save_draft(by=member, declaration=declaration, fields=fields, lines=rows)
    if outcome == "draft":
        return declaration
    with clock(at + timedelta(days=2)):
        for document in call.documents:
            name = f"{organisation_name}-{document}.pdf"
            services.attach_document(
                by=member,
                declaration=declaration,
                document=document,
                file=SimpleUploadedFile(name, PDF, content_type="application/pdf"),
            )
    with clock(at + timedelta(days=3)):
        declaration = services.submit_declaration(by=member, declaration=declaration)
    if outcome == "withdrawn":
        with clock(at + timedelta(days=6)):
            services.withdraw_declaration(
                by=member, declaration=declaration, note="预算要和街道再核一次，修改后重新申报。"
            )
    return declaration


def _members(ctx):
    """One member of each declaring NGO (the adoptions demo gave ngo2–ngo4 their accounts)."""
    from portal.organisations.models import Membership

    names = [CHUNHUI, LINLI, GREEN, STARS]
    members = {}
    for membership in Membership.objects.filter(organisation__name__in=names).select_related("user").order_by("id"):
        members.setdefault(membership.organisation_id, membership.user)
    return members


@demo_step(order=95, after=["marketplace.adoptions.demo"])
def load(ctx):
    if FundingCall.objects.exists():
        return f"{FundingCall.objects.count()} calls, {Declaration.objects.count()} declarations (kept)"
    for name, (year, month, day) in REGISTERED.items():
        Organisation.objects.filter(name=name, registered_on__isnull=True).update(
            registered_on=timezone.datetime(year, month, day).date()
        )
    district = Region.objects.get(level=RegionLevel.DISTRICT)
    staff = ctx["users"]["districtstaff1"]
    members = _members(ctx)
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0)
    with (
        translation.override(settings.LANGUAGE_CODE),
        mock.patch.object(services, "notify", partial(notify, email=False), create=True),
        mock.patch.object(review, "notify", partial(notify, email=False)),
    ):
        closes = (now + timedelta(days=12)).replace(hour=17)
        venture = _call(VENTURE, district, now - timedelta(days=20), closes, staff)
        for i, spec in enumerate(VENTURE_DECLARATIONS):
            _declare(venture, spec, members, venture.opens_at + timedelta(days=1 + 3 * i))
        opens = now - timedelta(days=70)
        disability = _call(DISABILITY, district, opens, (now - timedelta(days=10)).replace(hour=17), staff)
        for i, spec in enumerate(DISABILITY_DECLARATIONS):
            _declare(disability, spec, members, opens + timedelta(days=2 + 5 * i))
        with clock(disability.closes_at + timedelta(minutes=1)):
            services.close_due_calls()
        disability.refresh_from_db()
        _review(disability, ctx["users"], staff)
        _assign(staff, now)
    return f"{FundingCall.objects.count()} calls, {Declaration.objects.count()} declarations"


# The 2026 disability call's panel: (username, kind, reserve). 马大爷 steps aside from 春晖's declaration
# (his daughter works there) and the reserve, 张桂兰, reviews it instead.
PANEL = [
    ("reviewer1", ReviewerKind.EXPERT, False),
    ("dept1", ReviewerKind.OFFICER, False),
    ("council1", ReviewerKind.RESIDENT, False),
    ("resident1", ReviewerKind.RESIDENT, True),
]
CONFLICT = ("council1", "残疾人家庭上门康复指导", "我女儿在春晖社工中心做社工，这个项目我回避。")
# (declaration title, reviewer): five scores (rubric order) and five comments.
SCORES = {
    ("大龄自闭症青年职业体验", "reviewer1"): (
        [9, 7, 6, 8, 8],
        [
            "大龄自闭症青年的出路是家长最焦虑的问题，需求非常真实。",
            "企业岗位只落实了两家，第三家还在谈，有一定风险。",
            "24人不算多，但每人都是长期陪伴，深度足够。",
            "辅导员劳务占比高，但这类服务本来就靠人，合理。",
            "星星雨做了十年自闭症儿童康复，转向就业有基础。",
        ],
    ),
    ("大龄自闭症青年职业体验", "dept1"): (
        [8, 8, 6, 7, 8],
        [
            "残联登记的16岁以上自闭症青年有37人，需求有数据。",
            "岗位、陪同、每月评估写得清楚，可以落地。",
            "受益面较窄，建议把家长培训也算进来。",
            "保险和交通预算偏紧，实施中可能要追加。",
            "机构财务规范，往年项目审计无问题。",
        ],
    ),
    ("大龄自闭症青年职业体验", "council1"): (
        [9, 8, 7, 8, 9],
        [
            "我们楼就有这样的孩子，整天在家，家里人很难。",
            "有企业师傅带着，家长也放心。",
            "人数不多，但对这些家庭是大事。",
            "钱主要花在人身上，我看是实在的。",
            "星星雨在香炉礁口碑很好。",
        ],
    ),
    ("残疾人家庭上门康复指导", "reviewer1"): (
        [8, 8, 9, 7, 8],
        [
            "重度肢体残疾人出门难，上门指导补了社区康复的空白。",
            "每两周一次的频次合适，康复档案要和社区卫生服务中心对接。",
            "150户覆盖面大，是几个申报里受益最多的。",
            "辅具借用可以争取残联的辅具中心，减少采购。",
            "春晖的康复团队有两名持证治疗师，能力足够。",
        ],
    ),
    ("残疾人家庭上门康复指导", "dept1"): (
        [9, 7, 9, 6, 8],
        [
            "残联入户调查里，家属最缺的就是护理和训练方法。",
            "两名治疗师服务150户，排班偏紧，建议分片。",
            "覆盖全区重度肢体残疾人的一半，受益面大。",
            "上门服务费单价偏高，建议按次核定。",
            "机构连续三年评估优秀。",
        ],
    ),
    ("残疾人家庭上门康复指导", "resident1"): (
        [9, 8, 8, 8, 8],
        [
            "我邻居老李瘫在床上三年，家里人不会翻身，长了褥疮。",
            "能上门就好，老人出不了门。",
            "人多，覆盖的家庭多。",
            "预算看不太懂，但自筹的钱也不少。",
            "春晖的社工常来我们社区，做事踏实。",
        ],
    ),
    ("盲人朋友“陪你走一程”出行陪伴", "reviewer1"): (
        [7, 6, 5, 9, 6],
        [
            "视障居民出行确实需要帮助，但数量和需求缺少调查数据。",
            "预约和派单怎么做没写清楚，志愿者培训要加强。",
            "40人，受益面较小。",
            "预算很省，主要是保险和交通，性价比高。",
            "协会志愿者多，但缺少视障服务的专业培训经历。",
        ],
    ),
    ("盲人朋友“陪你走一程”出行陪伴", "dept1"): (
        [8, 6, 5, 9, 6],
        [
            "区盲协反映过就医陪同难，方向是对的。",
            "建议和医院的志愿服务站对接，避免重复。",
            "受益人数少。",
            "花钱少，办实事。",
            "要补一份志愿者安全培训计划。",
        ],
    ),
    ("盲人朋友“陪你走一程”出行陪伴", "council1"): (
        [8, 7, 6, 9, 7],
        [
            "我们社区的王师傅去医院都是打车，一个人不敢走。",
            "志愿者都是退休党员，靠得住。",
            "人少一点，但很需要。",
            "一年才一万多块，很省。",
            "邻里守望的人我们都认识。",
        ],
    ),
}
OVERRIDE = ("盲人朋友“陪你走一程”出行陪伴", "评审会议认为视障居民出行陪伴目前没有其他资金来源，按项目总预算全额扶持。")


# Objections during the public notice: (username, result objected to, reason, staff's answer or "").
OBJECTIONS = [
    (
        "resident1",
        "盲人朋友“陪你走一程”出行陪伴",
        "这个项目得分最低，为什么反而按总预算全额扶持？其他两个项目都只给了七八成。",
        "评审会议认为视障居民出行陪伴目前没有其他资金来源，而另外两个项目可以申请区残联的康复补贴；"
        "调整后三个项目合计仍在资金总额之内。会议纪要已在区残联网站公开。",
    ),
    (
        "donor1",
        "",
        "建议公示评审专家的打分明细，让大家看得更明白。",
        "",
    ),
]


def _review(call, users, staff):
    with clock(call.closes_at + timedelta(days=1)):
        for username, kind, reserve in PANEL:
            review.seat_reviewer(by=staff, call=call, reviewer=users[username], kind=kind, reserve=reserve)
        review.assign_reviews(by=staff, call=call)
    username, title, reason = CONFLICT
    assignment = ReviewAssignment.objects.get(
        declaration__call=call, declaration__title=title, reviewer=users[username]
    )
    with clock(call.closes_at + timedelta(days=2)):
        review.declare_conflict(by=users[username], review=assignment, reason=reason)
    criteria = list(call.criteria.all())
    for day, ((title, username), (values, comments)) in enumerate(SCORES.items()):
        assignment = ReviewAssignment.objects.get(
            declaration__call=call, declaration__title=title, reviewer=users[username]
        )
        scores = {c.pk: (value, comment) for c, value, comment in zip(criteria, values, comments, strict=True)}
        with clock(call.closes_at + timedelta(days=3, hours=day)):
            review.submit_scores(by=users[username], review=assignment, scores=scores)
    with clock(call.closes_at + timedelta(days=6)):
        review.compute_awards(by=staff, call=call)
        title, reason = OVERRIDE
        award = Award.objects.select_related("call").get(call=call, declaration__title=title)
        review.override_award(by=staff, award=award, amount=award.declaration.totals()[0], reason=reason)
    with clock(call.closes_at + timedelta(days=7)):
        call = results.publish_results(by=staff, call=call)
    for day, (username, title, reason, answer) in enumerate(OBJECTIONS, start=8):
        award = Award.objects.filter(call=call, declaration__title=title).first() if title else None
        with clock(call.closes_at + timedelta(days=day)):
            objection = results.object_to_results(by=users[username], call=call, award=award, reason=reason)
        if answer:
            with clock(call.closes_at + timedelta(days=day, hours=5)):
                results.answer_objection(by=staff, objection=objection, uphold=False, answer=answer)


# An assigned project (党政部门交办): the district's human resources bureau hands the job-service station
# to 邻里守望, which has run the street's volunteer employment corner for three years.
ASSIGNED = (
    "大同社区“家门口”就业服务站",
    LINLI,
    "区人力资源和社会保障局",
    "该站点纳入区“15分钟就业服务圈”试点，由区人社局直接交办给已在北京街道运营志愿就业角三年的邻里守望志愿者协会承接。",
)


def _assign(staff, now):
    from marketplace.projects import services as projects
    from marketplace.projects.models import Project

    title, organisation_name, authority, reason = ASSIGNED
    project = Project.objects.filter(title=title, implementer__isnull=True).first()
    if project is None or project.status not in projects.ASSIGNABLE:
        return
    with clock(now - timedelta(days=4)):
        projects.assign_project(
            by=staff,
            project=project,
            organisation=Organisation.objects.get(name=organisation_name),
            authority=authority,
            reason=reason,
        )
