"""Claims and bids as the district's donors, residents and NGOs make them, through the real services.

Each claim and bid is made, decided or withdrawn at its own date after its project was published
(the services run under the demo clock), so timelines, audit entries and notifications agree.
Notifications are written in the app only (no emails from the demo). The published projects come
from marketplace/needs/demo_projects.py; this loader says which ways of taking part each one asks for,
adds the items wanted in kind, and gives three more NGOs' staff a demo account to bid with.
"""

from datetime import timedelta
from functools import partial
from unittest import mock

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone, translation

from marketplace.projects.models import InKindItem, Project
from portal.accounts.models import User
from portal.core.demo import DEMO_PASSWORD, clock, demo_step
from portal.core.money import FEN_PER_YUAN
from portal.notifications.services import notify
from portal.organisations.models import MemberRole, Membership, Organisation

from . import services
from .models import Adoption, Bid

CHUNHUI = "西港区春晖社会工作服务中心"
LINLI = "邻里守望志愿者协会"
GREEN = "绿色家园环保公益促进会"
STARS = "西港区星星雨自闭症儿童关爱中心"

# NGO staff who bid besides ngo1 (春晖): username, display name, organisation.
BIDDERS = [("ngo2", "孙秀梅", LINLI), ("ngo3", "赵志刚", GREEN), ("ngo4", "冯晓燕", STARS)]

LINGANG = "临港社区“小巷管家”环境维护志愿队"
SONGLIN = "松林社区居民文体活动室改造"
LIANHUASHAN = "莲花山小区老楼楼梯扶手和休息座椅加装"
XIANGLUJIAO = "香炉礁社区儿童之家改造"
DATONG = "大同社区“家门口”就业服务站"
RIXIN = "日新社区慢病老人健康管理小组"

# The ways of taking part each published project asks for (funds are asked by default).
WANTS = {
    LINGANG: {"wants_implementer": True, "wants_volunteers": True},
    SONGLIN: {"wants_in_kind": True, "wants_volunteers": True},
    LIANHUASHAN: {"wants_in_kind": True},
    XIANGLUJIAO: {"wants_implementer": True, "wants_in_kind": True},
    DATONG: {"wants_volunteers": True},
    RIXIN: {"wants_volunteers": True},
}
# project: (item, quantity, unit, estimated value in yuan)
ITEMS = {
    SONGLIN: [("折叠桌椅（一桌四椅）", 12, "套", 4800), ("便携式音响", 1, "台", 2600), ("乒乓球台", 2, "张", 3400)],
    LIANHUASHAN: [("楼道折叠休息座椅", 40, "把", 8000)],
    XIANGLUJIAO: [("儿童绘本", 300, "册", 6000), ("木质矮书架", 4, "个", 2400)],
}

# The three-NGO competition to run the 临港 alley stewards: (bidder, price in yuan, plan, timeline, team, record).
LINGANG_BIDS = [
    (
        "ngo3",
        23800,
        "以“绿色账户”为抓手组建小巷管家队：每条小巷认领两名楼栋长，每周二、周六早七点巡巷，"
        "垃圾桶满溢、乱堆杂物拍照上报网格员；每月一次“净巷日”，居民参加可积分兑换生活用品。"
        "第四个月起由居民骨干自主排班，我们只做督导和积分核算。",
        "第1个月招募和培训；第2—3个月带队巡巷；第4—12个月居民自主运行，每季度复盘一次。",
        "项目主管1名（垃圾分类督导师），兼职督导2名，环保志愿者骨干15名。",
        "2025年在沿海社区运营“绿色账户”，12个月分类准确率从41%升到83%，项目获评区级优秀。",
    ),
    (
        "ngo2",
        19500,
        "协会在临港有32名退休党员志愿者，多数就住在这几条老巷。方案以“门前三包”为主：每户认领自家门前一段，"
        "志愿者两人一组每天傍晚走一趟，顺路探访独居老人。经费主要用于志愿者保险、工具和每月一次的表彰茶话会。",
        "签约后两周内成队；全年不间断，冬季增加清雪和楼道消防通道巡查。",
        "会长1名，片区队长4名，志愿者32名（平均年龄64岁）。",
        "连续五年在北京街道开展独居老人结对探访和冬季消防巡查，累计服务时长1.1万小时。",
    ),
    (
        "ngo1",
        26000,
        "由社工带领开展“小巷议事”：先用一个月入户走访，和居民一起画出每条小巷的问题地图，"
        "再按小巷成立居民自管小组，定公约、排值日；社工每两周陪伴一次议事会，年底请居民评议各组成效。"
        "重在让居民自己管起来，项目结束后不依赖外部经费。",
        "第1—2个月走访和问题地图；第3—4个月成立自管小组和公约；第5—12个月陪伴运行，12月召开成效评议会。",
        "持证社工2名（其中中级社工师1名），社工实习生2名，督导1名。",
        "承接人民广场、香炉礁街道社区营造项目6个，其中3个楼院自管小组已独立运行两年以上。",
    ),
]
LINGANG_OPINIONS = [
    (
        "王淑珍",
        "临港社区居民代表、5号巷楼栋长",
        None,
        "巷子脏主要是外来租户乱扔，光靠我们老年人早上巡一趟管不住，得有人能跟租户说上话。",
    ),
    (
        "刘德顺",
        "临港社区居民议事会成员",
        "ngo2",
        "邻里守望的志愿者好多就是我们巷子里的老邻居，大家认他们，价钱也最实在。",
    ),
    (
        "姜红梅",
        "临港小学家长代表",
        "ngo3",
        "积分换东西孩子们爱参加，周末带孩子一起捡垃圾也是教育，希望能把学校拉进来。",
    ),
]

# The 香炉礁 children's home: two bids, the stars centre selected.
XIANGLUJIAO_BIDS = [
    (
        "ngo4",
        41000,
        "儿童之家按“融合”思路改造：安静角给感统敏感的孩子，阅读区和活动区分开，家具圆角低矮。"
        "改造后每周三次开放，其中一次为融合课堂，普通孩子和特需孩子一起做手工和绘本共读，家长轮流值班。",
        "第1个月方案和家长共议；第2—3个月改造施工；第4个月起开放，首年运营由我们带教家长志愿者。",
        "特教老师2名，康复治疗师1名，家长志愿者12名。",
        "在白云街道三个社区开展融合活动，服务孤独症儿童家庭140余户；2024年“融合课堂”获市级公益创投资助。",
    ),
    (
        "ngo1",
        45000,
        "以社工为主导运营儿童之家：放学后四点半课堂、寒暑假托管和亲子活动，改造重点放在学习桌椅和照明，"
        "同时为双职工家庭提供个案帮扶和家庭教育讲座。",
        "改造两个月，开放后按学期运营，每学期末向家长公开活动和经费。",
        "持证社工3名，大学生志愿者若干。",
        "在北海社区运营“四点半课堂”三年，每学期服务学生60名，家长满意度96%。",
    ),
]
XIANGLUJIAO_REASON = (
    "两份方案都很用心。选定星星雨的方案：社区有9户特需儿童家庭，原有“四点半课堂”已由新华社区项目覆盖周边学生，"
    "融合设计更补缺；居民代表会上多数家长支持。春晖的课业托管方案建议申报下期公益创投。"
)

# Claims: (username, project, mode, organisation or None, details, days after publication, outcome, reason).
CLAIMS = [
    (
        "donor1",
        LIANHUASHAN,
        "fund",
        "大连海昌置业有限公司",
        {"covers_gap": True},
        9,
        "approved",
        "感谢海昌置业全额认捐，项目办将与贵司对接付款和开工时间。",
    ),
    ("resident1", XIANGLUJIAO, "fund", None, {"amount": 500}, 21, "pending", ""),
    (
        "council1",
        DATONG,
        "fund",
        None,
        {"amount": 2000},
        14,
        "declined",
        "马大爷，谢谢您的心意。就业服务站的资金已由区人社局专项资金安排，个人认捐这次不接收，欢迎报名当志愿者。",
    ),
    ("resident1", RIXIN, "fund", None, {"amount": 300}, 6, "withdrawn", ""),
    (
        "donor1",
        SONGLIN,
        "in_kind",
        "大连海昌置业有限公司",
        {"item": "折叠桌椅（一桌四椅）", "quantity": 12},
        11,
        "approved",
        "桌椅规格符合要求，改造完工后一周内送到活动室。",
    ),
    (
        "resident1",
        SONGLIN,
        "in_kind",
        None,
        {"item_description": "家里闲置的雅马哈电子琴一台，八成新", "quantity": 1, "estimated_value": 900},
        17,
        "pending",
        "",
    ),
    (
        "council1",
        SONGLIN,
        "in_kind",
        None,
        {"item_description": "旧布艺沙发两组", "quantity": 2, "estimated_value": 600},
        18,
        "declined",
        "活动室面积有限，布艺沙发也不符合公共场所消防要求，这次不收，谢谢您。",
    ),
    ("ngo1", LIANHUASHAN, "in_kind", CHUNHUI, {"item": "楼道折叠休息座椅", "quantity": 10}, 12, "pending", ""),
    (
        "resident1",
        LINGANG,
        "volunteer",
        None,
        {"hours": 12, "skills": "退休前做过环卫，会分拣可回收物"},
        5,
        "approved",
        "欢迎加入！第一次巡巷在周六早上七点，5号巷口集合。",
    ),
    (
        "council1",
        DATONG,
        "volunteer",
        None,
        {"hours": 8, "skills": "做过三十年人事工作，可以帮忙改简历、模拟面试"},
        20,
        "pending",
        "",
    ),
    (
        "ngo2",
        RIXIN,
        "volunteer",
        LINLI,
        {"hours": 40, "skills": "协会志愿者每周陪老人测血压、提醒用药"},
        8,
        "withdrawn",
        "",
    ),
]


def _accounts(ctx):
    password = make_password(DEMO_PASSWORD)
    users = dict(ctx["users"])
    for username, display_name, organisation_name in BIDDERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.gongzhi.local", "display_name": display_name, "password": password},
        )
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        organisation = Organisation.objects.get(name=organisation_name)
        Membership.objects.get_or_create(organisation=organisation, user=user, defaults={"role": MemberRole.ADMIN})
        users[username] = user
    return users


def _prepare(projects):
    for title, flags in WANTS.items():
        Project.objects.filter(pk=projects[title].pk).update(**flags)
        projects[title].refresh_from_db()
    for title, items in ITEMS.items():
        for name, quantity, unit, value in items:
            InKindItem.objects.get_or_create(
                project=projects[title],
                name=name,
                defaults={"quantity": quantity, "unit": unit, "estimated_value": value * FEN_PER_YUAN},
            )


def _at(project, days, hours=0):
    """`days` (and `hours`) after the project's publication, never later than an hour ago."""
    latest = timezone.now() - timedelta(hours=1)
    start = project.published_at or latest - timedelta(days=60)
    wanted = timedelta(days=days, hours=10 + hours)
    if start + wanted > latest:  # a project published lately: the same steps, closer together
        wanted = (latest - start) * min(0.95, wanted / timedelta(days=30))
    return start + wanted


def _claims(users, projects, staff):
    for username, title, mode, organisation_name, details, days, outcome, reason in CLAIMS:
        project = projects[title]
        details = dict(details)
        if "amount" in details:
            details["amount"] *= FEN_PER_YUAN
        if "estimated_value" in details:
            details["estimated_value"] *= FEN_PER_YUAN
        if "item" in details:
            details["in_kind_item"] = project.in_kind_items.get(name=details.pop("item"))
            details["estimated_value"] = (
                details["in_kind_item"].estimated_value
                * details["quantity"]
                // max(1, details["in_kind_item"].quantity)
            )
        organisation = Organisation.objects.get(name=organisation_name) if organisation_name else None
        claimed_at = _at(project, days)
        decided_at = _at(project, days + 2, hours=3)
        if decided_at <= claimed_at:  # squeezed against today: decided halfway from the claim to now
            decided_at = claimed_at + (timezone.now() - claimed_at) / 2
        with clock(claimed_at):
            claim = services.claim_project(
                by=users[username], project=project, mode=mode, organisation=organisation, **details
            )
        with clock(decided_at):
            if outcome == "approved":
                services.approve_adoption(by=staff, adoption=claim, note=reason)
            elif outcome == "declined":
                services.decline_adoption(by=staff, adoption=claim, reason=reason)
            elif outcome == "withdrawn":
                services.withdraw_adoption(by=users[username], adoption=claim)


def _bids(users, projects, staff):
    lingang = projects[LINGANG]
    by_user = {}
    for i, (username, price, plan, timeline, team, record) in enumerate(LINGANG_BIDS):
        member = users[username]
        organisation = Organisation.objects.get(memberships__user=member, kind="ngo")
        with clock(_at(lingang, 3 + 2 * i)):
            by_user[username] = services.submit_bid(
                by=member,
                project=lingang,
                organisation=organisation,
                plan=plan,
                price=price * FEN_PER_YUAN,
                timeline=timeline,
                team=team,
                track_record=record,
            )
    for i, (name, role, about, opinion) in enumerate(LINGANG_OPINIONS):
        with clock(_at(lingang, 12, hours=i)):
            services.record_opinion(
                by=staff,
                project=lingang,
                bid=by_user.get(about),
                representative_name=name,
                representative_role=role,
                opinion=opinion,
            )
    project = projects[XIANGLUJIAO]
    submitted = []
    for i, (username, price, plan, timeline, team, record) in enumerate(XIANGLUJIAO_BIDS):
        member = users[username]
        organisation = Organisation.objects.get(memberships__user=member, kind="ngo")
        with clock(_at(project, 4 + 3 * i)):
            submitted.append(
                services.submit_bid(
                    by=member,
                    project=project,
                    organisation=organisation,
                    plan=plan,
                    price=price * FEN_PER_YUAN,
                    timeline=timeline,
                    team=team,
                    track_record=record,
                )
            )
    with clock(_at(project, 15)):
        services.record_opinion(
            by=staff,
            project=project,
            bid=submitted[0],
            representative_name="许丽娜",
            representative_role="香炉礁社区特需儿童家长",
            opinion="孩子在外面上康复课一次两百块，家门口要是有安静角和融合课堂，我们这些家长愿意轮流值班。",
        )
    with clock(_at(project, 18)):
        services.select_bid(by=staff, bid=submitted[0], reason=XIANGLUJIAO_REASON)


@demo_step(order=90, after=["marketplace.needs.demo_projects"])
def load(ctx):
    if Adoption.objects.exists() or Bid.objects.exists():
        return f"{Adoption.objects.count()} claims, {Bid.objects.count()} bids (kept)"
    projects = ctx.get("projects") or {p.title: p for p in Project.objects.all()}
    with (
        translation.override(settings.LANGUAGE_CODE),
        mock.patch.object(services, "notify", partial(notify, email=False)),
    ):
        users = _accounts(ctx)
        _prepare(projects)
        staff = users["districtstaff1"]
        _claims(users, projects, staff)
        _bids(users, projects, staff)
    return f"{Adoption.objects.count()} claims, {Bid.objects.count()} bids"
