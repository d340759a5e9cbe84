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
        lines=(
            ("不锈钢扶手加固和新装（12栋楼）", 39_000),
            ("折叠休息座椅48把及安装", 14_400),
            ("施工期间安全防护", 3_600),
        ),
        modes=("fund", "volunteer"),
        closes_in=18,
    ),
    "大同社区“家门口”就业服务站": Details(
        lines=(
            ("服务站场地改造和设备", 21_000),
            ("岗位推介会和小型招聘会（4场）", 24_000),
            ("两名就业指导员一年补贴", 30_000),
        ),
        modes=("fund", "run"),
        closes_in=33,
        target=55_000,
    ),
    "香炉礁社区儿童之家改造": Details(
        lines=(("打通会议室、铺地垫和改电", 19_000), ("图书1,200册", 15_600), ("益智玩具和收纳柜", 11_400)),
        in_kind=(("儿童绘本", 600, "册", 24), ("儿童桌椅", 8, "套", 450)),
        modes=("fund", "in_kind", "volunteer"),
        closes_in=9,
    ),
    "日新社区慢病老人健康管理小组": Details(
        lines=(
            ("电子血压计和血糖仪（8组）", 9_600),
            ("健康讲座和小组活动物料", 14_400),
            ("家庭医生和健康志愿者补贴", 30_000),
        ),
        in_kind=(("电子血压计", 8, "台", 300),),
        modes=("fund", "run", "in_kind"),
        closes_in=26,
    ),
    "滨河社区电动自行车集中充电棚": Details(
        lines=(
            ("充电棚两处（钢结构）", 38_000),
            ("智能充电桩80个", 36_000),
            ("烟感报警和灭火器", 7_000),
            ("电力增容和布线", 5_000),
        ),
        modes=("fund",),
        closes_in=4,
        target=60_000,
    ),
    "松林社区居民文体活动室改造": Details(
        lines=(("木地板和照明更换", 19_000), ("镜墙和可移动隔断", 11_000), ("音响和书画桌", 8_000)),
        in_kind=(("书画桌", 6, "张", 500), ("落地镜", 4, "面", 600)),
        modes=("fund", "in_kind"),
        closes_in=41,
    ),
    "临港社区“小巷管家”环境维护志愿队": Details(
        lines=(
            ("志愿者马甲、夹子和手套", 6_000),
            ("志愿者意外险（30人一年）", 3_000),
            ("每月清整活动物料", 9_600),
            ("项目督导补贴", 7_400),
        ),
        modes=("fund", "volunteer"),
        closes_in=14,
    ),
    "石道街社区老楼屋面防水维修": Details(
        lines=(("屋面防水（8栋，约4,200平方米）", 126_000), ("检测和监理", 9_000), ("脚手架和垃圾清运", 13_000)),
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
        lines=(("厨房设备和餐具", 40_000), ("80岁以上老人午餐补贴（一年）", 96_000), ("送餐志愿者保险和交通", 24_000)),
        modes=("fund", "run", "volunteer"),
    ),
    "南石道社区星星雨融合课堂": Details(
        lines=(("康复师和社工课时费（48次）", 62_400), ("感统训练器材", 21_600), ("家长培训和活动物料", 14_000)),
        modes=("fund", "run", "volunteer"),
    ),
}
