"""Demo topics in every status on the demo councils, with supports, a merge, a rejection and a discussion
under one of them (one comment hidden by a moderator, one reported). The needs' demo then refers a few
needs to the councils (marketplace.needs.demo:refer_to_councils), with the residents made here."""

from datetime import timedelta
from functools import partial
from unittest import mock

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from portal.accounts.models import Role, RoleAssignment, User
from portal.comments import services as comments
from portal.core.demo import DEMO_PASSWORD, clock, demo_step
from portal.notifications.services import notify

from . import services
from .models import Topic, TopicStatus

T = TopicStatus
NEIGHBOURS = [
    ("neighbour1", "李秀梅"),
    ("neighbour2", "王德福"),
    ("neighbour3", "周小燕"),
    ("neighbour4", "郭志强"),
    ("neighbour5", "何丽娟"),
    ("neighbour6", "罗建平"),
    ("neighbour7", "宋雅琴"),
    ("neighbour8", "唐国庆"),
]

# (proposer, title, body, supporters (neighbour numbers), days ago, what staff did)
HOME_TOPICS = [
    (
        "resident1",
        "东门空地加装电动自行车充电桩",
        "小区里电动车越来越多，不少人把电瓶拎回家或者从窗口拉线充电，去年5号楼就冒过烟。"
        "东门内侧那块空地平时只停几辆共享单车，能不能装一排带计费和自动断电的充电桩？",
        [1, 2, 3, 4, 5],
        35,
        None,
    ),
    (
        "neighbour2",
        "三号楼楼道堆物清理",
        "三号楼一到六楼的楼道里堆着旧沙发、纸箱和腌菜缸，消防通道只剩半人宽。"
        "希望社区和物业牵头定一个清理日，家里有老人搬不动的，请志愿者帮忙。",
        [3, 6],
        6,
        None,
    ),
    (
        "neighbour5",
        "南门早高峰人车分流",
        "早上七点半到八点，送孩子的电动车、买菜的老人和出库的私家车全挤在南门，几乎每周都有剐蹭。"
        "建议把南门的小门改成人行专用，车辆统一走东门。",
        [1, 7, 8],
        4,
        None,
    ),
    (
        "neighbour3",
        "社区食堂增加晚餐供应",
        "助餐点现在只有午餐，很多独居老人晚上就着剩饭对付一顿。能不能试行工作日的简单晚餐，哪怕两菜一汤？",
        [1, 2, 4, 6, 8],
        28,
        None,
    ),
    (
        "neighbour7",
        "广场舞音量和时段的约定",
        "中心广场晚上跳舞的音响开得很大，临街两栋楼的孩子没法写作业，值夜班的人白天也睡不好。"
        "请大家坐下来约定个时段和音量，别一禁了之。",
        [1, 2, 3, 5, 6],
        30,
        ("schedule", "列入本月居民议事会议程，请跳舞队和临街住户代表参加。"),
    ),
    (
        "neighbour4",
        "楼顶违建晾衣棚拆除后改建公共晾晒区",
        "七号楼楼顶的违建晾衣棚拆掉以后，大家没地方晒被子。楼顶本身是公共部位，建议统一装不锈钢晾衣架，按单元轮流使用。",
        [1, 3, 5, 7, 8],
        38,
        ("decide", "议事会表决通过：由社区公益金出资在七号楼楼顶安装晾衣架十二组，楼栋长负责排班，下月完工。"),
    ),
    (
        "neighbour6",
        "物业费下调三成",
        "物业服务越来越差，电梯坏了一周才修，要求物业费下调三成。",
        [2],
        20,
        (
            "reject",
            "物业收费标准须经业主大会表决，不属居民议事会议定范围；已转业主委员会，并请物业公司下周到场回应电梯维修问题。",
        ),
    ),
    (
        "neighbour8",
        "充电桩不够用，希望多装几个",
        "现有的两个充电桩天天排队，晚上十点还有人在等。",
        [4],
        15,
        ("merge", None),
    ),
]

DISCUSSION = [
    ("neighbour1", "赞成！我家就在5号楼，那次冒烟把整层楼的人都吓坏了。", None),
    ("neighbour2", "充电桩装在东门会不会占消防车道？最好先请消防站的同志看一下位置。", None),
    ("council1", "我是议事会召集人，已经联系街道消防站，下周三上午到现场看位置，欢迎大家一起来。", 1),
    ("neighbour5", "收费标准也要先公示，别装好了一小时两块钱没人用。", None),
    ("neighbour6", "装充电桩的公司我认识，加我微信 wx_chongdian888，包安装还返现！", None),  # hidden
    ("neighbour4", "能不能同时装几个遮雨棚？下雨天充电不放心。", None),  # reported
]


def _neighbours(ctx):
    community, now, password = ctx["communities"][0], timezone.now(), make_password(DEMO_PASSWORD)
    users = dict(ctx["users"])
    for username, name in NEIGHBOURS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.gongzhi.local", "display_name": name, "password": password},
        )
        user.home_community = community
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.RESIDENT, region=community, defaults={"verified_at": now}
        )
        users[username] = user
    return users


def _topic(users, council, staff, spec, topics):
    proposer, title, body, supporters, days_ago, outcome = spec
    now = timezone.now()
    with clock(now - timedelta(days=days_ago)):
        topic = services.propose_topic(by=users[proposer], council=council, title=title, body=body)
    for i, number in enumerate(supporters):
        with clock(now - timedelta(days=days_ago, hours=-(i + 1) * 7)):
            topic = services.support_topic(by=users[f"neighbour{number}"], topic=topic)
    if outcome is None:
        return topic
    action, note = outcome
    with clock(now - timedelta(days=max(days_ago - 10, 1))):
        if action == "reject":
            return services.reject_topic(by=staff, topic=topic, reason=note)
        if action == "merge":
            return services.merge_topic(
                by=staff, topic=topic, into=topics[0], note="与“东门空地加装电动自行车充电桩”重复"
            )
        topic = services.topic_workflow.move(
            topic,
            to=T.SCHEDULED,
            by=staff,
            note=note if action == "schedule" else "",
            after=services.tell_followers_of_move,
        )
        if action == "decide":
            with clock(now - timedelta(days=max(days_ago - 20, 1))):
                topic = services.topic_workflow.move(
                    topic, to=T.DECIDED, by=staff, note=note, after=services.tell_followers_of_move
                )
    return topic


def _discussion(users, topic):
    made = []
    for username, text, parent in DISCUSSION:
        made.append(
            comments.post_comment(
                by=users[username], target=topic, body=text, parent=made[parent] if parent is not None else None
            )
        )
    comments.report_comment(by=users["neighbour1"], comment=made[4], reason="发广告、留微信号")
    comments.hide_comment(by=users["moderator1"], comment=made[4], reason="含商业广告和联系方式，违反社区讨论规则。")
    comments.report_comment(by=users["neighbour8"], comment=made[5], reason="和议题无关")


@demo_step(order=130, after=["deliberation.councils.demo"])
def load(ctx):
    if Topic.objects.exists():
        return f"{Topic.objects.count()} topics (kept)"
    # The demo tells its accounts in the app only.
    quiet = partial(notify, email=False)
    with mock.patch.object(services, "notify", quiet), mock.patch.object(comments, "notify", quiet):
        return _load(ctx)


def _load(ctx):
    users = ctx["neighbours"] = _neighbours(ctx)  # the residents who talk (projects' and needs' demo too)
    councils, staff = ctx["councils"], users["staff1"]
    topics = []
    for spec in HOME_TOPICS:
        topics.append(_topic(users, councils["community-council"], staff, spec, topics))
    _discussion(users, topics[0])
    now = timezone.now()
    with clock(now - timedelta(days=5)):
        services.propose_topic(
            by=users["resident1"],
            council=councils["district-council"],
            title="在老城区见缝插绿建口袋公园",
            body="老城区几乎没有能坐下来的绿地。拆违腾出的边角地可以改成小型口袋公园，配几张长椅和健身器材。",
        )
    return f"{Topic.objects.count()} topics, {len(DISCUSSION)} comments"
