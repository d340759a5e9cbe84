"""Four weeks of gridworker1's daily logs (民情日志) in 长春第1网格.

Each working day: what the grid worker did (two of the tasks below), the people they visited
(from the grid's roster of elderly, low-income and disabled residents, each with what was
noticed) and the issues found — the grid-patrol needs they filed that day, plus small things
settled on the spot.
"""

import random
from datetime import timedelta

from django.utils import timezone

from marketplace.needs.models import Channel, Need
from portal.core.demo import demo_step

from .models import GridLog, Issue, PersonKind, Visit

DAYS = 28
K = PersonKind

# Who lives in the grid and needs looking in on: (kind, name, address, things noticed on a visit).
ROSTER = [
    (
        K.ELDERLY_ALONE,
        "赵桂芝",
        "长春路北里3号楼201",
        ["身体还好，家里暖气温度正常", "血压有点高，提醒按时吃药，已告知家庭医生", "女儿上周回来过，精神不错"],
    ),
    (
        K.ELDERLY_ALONE,
        "钱振和",
        "长春小区5号楼103",
        ["腿疼下楼少，帮忙代买了一周的菜", "已在暖心食堂登记送餐，说饭菜合口", "燃气报警器电池没电，已更换"],
    ),
    (
        K.DISABLED,
        "孙建民",
        "长春小区7号楼502",
        ["轮椅刹车松了，已联系辅具中心上门维修", "护理补贴本月已到账", "想参加社区康复训练，已报名"],
    ),
    (
        K.LOW_INCOME,
        "李秀琴",
        "胜利花园2号楼302",
        ["低保年度复核材料已收齐", "孩子上初中，申请了教育救助", "想找份钟点工，已推荐就业服务站"],
    ),
    (
        K.ELDERLY_ALONE,
        "周淑兰",
        "长春路北里6号楼101",
        ["老伴去世后情绪低落，约了社工下周再来", "一键呼叫器测试正常", "说楼下烧烤店晚上吵，已记录"],
    ),
    (
        K.OTHER,
        "吴国庆",
        "长春小区8号楼601",
        ["顶楼屋面重做防水后不再漏雨", "反映单元门闭门器又坏了，已报物业", "是楼长，帮忙通知了体检时间"],
    ),
    (
        K.LOW_INCOME,
        "郑丽",
        "胜利花园4号楼201",
        ["临时救助申请已提交街道", "丈夫住院，社区已联系慈善基金会", "电费欠缴，已协调暂缓停电"],
    ),
    (
        K.DISABLED,
        "王春生",
        "长春小区11号楼102",
        ["视力差，志愿者每周来读报", "陪同办理了残疾证换证", "门口坡道已清理，出行方便了"],
    ),
    (
        K.ELDERLY_ALONE,
        "冯玉兰",
        "长春路北里9号楼402",
        ["九十一岁，儿子每天来送饭", "防走失手环已戴上", "家里电线老化，已请物业电工查看"],
    ),
    (
        K.ELDERLY_ALONE,
        "陈德胜",
        "胜利花园1号楼101",
        ["糖尿病，家庭医生每月上门随访", "说小区门口坡道下雪后滑，已报社区", "想学用智能手机挂号，约了志愿者"],
    ),
]

TASKS = [
    "上午在长春路北里入户走访独居老人，了解取暖和吃饭情况",
    "配合社区开展燃气安全入户检查，重点看了独居老人家的灶具和报警器",
    "参加街道网格员例会，学习新修订的居民议事会议事规则",
    "在胜利花园宣传垃圾分类投放时间调整，发放告知单",
    "陪同区住建局工作人员查看8号楼屋面和楼道墙面",
    "走访辖区低保户，核对年度复核材料",
    "协助社区卫生服务站通知65岁以上老人体检时间",
    "检查长春路沿街商户消防器材，两户灭火器过期，已告知更换",
    "参加长春社区居民议事会，记录居民对停车方案的意见",
    "巡查各楼楼道和消防通道，劝导三户清理楼道杂物",
    "陪同派出所民警开展电动自行车安全宣传，发放集中充电点位置图",
    "协助暖心食堂核对送餐老人名单，新增两位",
    "督促长春小区东门垃圾站清运，和环卫班长约定傍晚加收一次",
    "回访上周办结的诉求，居民都表示满意",
    "整理网格内出租房屋信息，新登记租户四户",
    "陪同社工看望情绪低落的独居老人",
    "巡查长春路早市，提醒摊贩不占盲道",
    "为行动不便的老人代办高龄津贴认证",
]
# Small things settled on the spot (no need filed): (what, category).
ON_THE_SPOT = [
    ("5号楼门前井盖翘起，已放警示锥并报物业当天修好", "safety"),
    ("胜利花园2号楼楼道堆放纸箱，已劝导住户清理", "environment"),
    ("长春路北里门口共享单车堆放，已联系运营企业清运", "parking"),
    ("11号楼单元门闭门器损坏，已报物业更换", "property"),
    ("厨余垃圾桶满溢，已联系环卫加收", "waste-sorting"),
    ("健身器材螺丝松动，已请物业紧固", "culture"),
]


@demo_step(order=110, after=["portal.accounts.demo"])
def load(ctx):
    worker = ctx["users"]["gridworker1"]
    grid = ctx["grids"][0]
    categories = ctx["categories"]
    today = timezone.localdate()
    rng = random.Random(58406)  # the seeds' count of Xigang grid logs
    created = 0
    summaries = set(GridLog.objects.filter(author=worker).values_list("summary", flat=True))
    for days_ago in range(DAYS, -1, -1):
        date = today - timedelta(days=days_ago)
        if date.weekday() >= 5:
            continue
        visits = rng.sample(ROSTER, rng.randint(2, 4))
        filed = list(
            Need.objects.filter(
                region=grid, channel=Channel.GRID_PATROL, entered_by=worker, created_at__date=date, grid_log_issue=None
            )
        )
        summary = None
        while summary is None or summary in summaries:  # no two days alike
            tasks = rng.sample(TASKS, 2)
            summary = "；".join(tasks) + "。" + (f"巡查发现问题{len(filed)}件，已上报平台。" if filed else "")
        summaries.add(summary)
        log, is_new = GridLog.objects.get_or_create(
            author=worker,
            grid=grid,
            date=date,
            defaults={"visits_made": len(visits) + rng.randint(3, 8), "summary": summary},
        )
        if not is_new:
            continue
        created += 1
        Visit.objects.bulk_create(
            [
                Visit(log=log, kind=kind, person_name=name, address=address, notes=rng.choice(notes))
                for kind, name, address, notes in visits
            ]
        )
        issues = [Issue(log=log, description=n.title, category=n.category, need=n) for n in filed]
        if rng.random() < 0.5:
            what, slug = rng.choice(ON_THE_SPOT)
            issues.append(Issue(log=log, description=what, category=categories[slug]))
        Issue.objects.bulk_create(issues)
    return f"{GridLog.objects.count()} grid logs" + ("" if created else " (kept)")
