"""What the district's staff wrote into each demo project beyond its summary: the budget line by line
(yuan; the lines add up to the budget), the things it would rather receive than buy, the help it asks
for, and for projects still raising money, how many days are left to give."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Details:
    lines: tuple = ()  # (what, yuan)
    in_kind: tuple = ()  # (item, quantity, unit, estimated yuan)
    modes: tuple = ("fund",)  # fund, run, in_kind, volunteer
    closes_in: int = 0  # days until funding closes (published projects)
    target: int = 0  # yuan asked of donors when matching funds cover part of the budget


DETAILS = {
    "莲花山小区老楼楼梯扶手和休息座椅加装": Details(
        lines=(("扶手材料和安装（12栋楼）", 38_000), ("折叠休息座椅96把", 19_000)),
        modes=("fund", "volunteer"),
        closes_in=18,
    ),
    "大同社区“家门口”就业服务站": Details(
        lines=(("就业指导员劳务", 42_000), ("招聘会场地和组织", 20_000), ("信息屏和宣传", 13_000)),
        modes=("fund", "run"),
        closes_in=33,
        target=55_000,
    ),
    "香炉礁社区儿童之家改造": Details(
        lines=(("装修和地垫", 21_000), ("图书和益智玩具", 16_000), ("家长志愿者培训和活动", 9_000)),
        in_kind=(("儿童绘本", 600, "册", 25), ("儿童桌椅", 8, "套", 450)),
        modes=("fund", "in_kind", "volunteer"),
        closes_in=9,
    ),
    "日新社区慢病老人健康管理小组": Details(
        lines=(("血压计、血糖仪等设备", 18_000), ("医护和健康志愿者补贴", 24_000), ("健康餐试吃和宣教", 12_000)),
        in_kind=(("电子血压计", 8, "台", 300),),
        modes=("fund", "run", "in_kind"),
        closes_in=26,
    ),
    "滨河社区电动自行车集中充电棚": Details(
        lines=(("充电棚和地面硬化", 42_000), ("智能充电桩80个", 36_000), ("消防器材和监控", 8_000)),
        modes=("fund",),
        closes_in=4,
        target=60_000,
    ),
    "松林社区居民文体活动室改造": Details(
        lines=(("地板、照明等装修", 22_000), ("音响和书画桌", 11_000), ("可移动隔断和镜墙", 5_000)),
        in_kind=(("书画桌", 6, "张", 800), ("折叠椅", 30, "把", 60)),
        modes=("fund", "in_kind"),
        closes_in=41,
    ),
    "临港社区“小巷管家”环境维护志愿队": Details(
        lines=(("志愿者保险和装备", 10_000), ("清洁工具", 6_000), ("积分奖励和表彰", 10_000)),
        modes=("fund", "volunteer"),
        closes_in=14,
    ),
    "石道街社区老楼屋面防水维修": Details(
        lines=(("防水材料", 86_000), ("施工", 48_000), ("旧防水层清理和垃圾清运", 14_000)),
        modes=("fund",),
        closes_in=60,
        target=103_600,
    ),
    "莲花山小区3号楼、5号楼加装电梯": Details(
        lines=(("低层住户补偿", 210_000), ("三户低保家庭的分摊", 90_000)),
        modes=("fund",),
    ),
    "永和社区夜间照明和监控补盲": Details(
        lines=(("太阳能路灯14盏", 18_000), ("监控探头6个及安装、接入门卫室", 14_000)),
        modes=("fund", "in_kind"),
        in_kind=(("太阳能路灯", 14, "盏", 1_285),),
    ),
    "长春社区长者助餐“暖心食堂”": Details(
        lines=(("老人餐费补贴", 112_000), ("送餐保温箱和电动车", 16_000), ("助餐员劳务", 32_000)),
        modes=("fund", "run", "volunteer"),
    ),
    "南石道社区星星雨融合课堂": Details(
        lines=(("康复师和社工劳务", 64_000), ("活动教具", 20_000), ("家长喘息服务", 14_000)),
        modes=("fund", "run", "volunteer"),
    ),
}
