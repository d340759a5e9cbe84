"""Titles and descriptions for the bench's needs, so that a search over a million of them measures
something: the same kinds of words, as often, as a district's hotline and grid logs hold.

The phrasings are the demo's (marketplace/needs/demo_texts.py: every title of every situation, with a
fact and an ask of the same variant in a channel's frame) and OWN below, a few dozen more in the
words residents use for the commonest complaints. Slots that name a place ({community}, {estate},
{road}, {road2}, {bldg}) are left in the text for generate.py's SQL to fill from each need's grid; the
others (days, temperatures, fees…) are drawn here once per phrase.

How often each phrase is used follows CATEGORY_WEIGHTS (roughly a city hotline's mix: property, the
environment and parking first, start-up loans and reading aloud for the blind last) and, within a
category, a Zipf-like order fixed by PHRASE_SEED: some words (社区, 楼道, 电梯) turn up in tens of
thousands of a million needs, others (担保贷款, 读报) in a hundred or so. The draw does not depend on
generate.py's --seed, so the bench's queries (run.py, search_latency.py) keep their meaning.
"""

import random
from dataclasses import dataclass

from marketplace.needs import demo_texts as T

PHRASE_SEED = 22
SLOTS = 8192  # size of the weighted draw table: the rarest phrase has one slot (about 0.012 %)

# Shares of a district's needs by category (hotline-like: property and environment lead).
CATEGORY_WEIGHTS = {
    "property": 18,
    "environment": 16,
    "parking": 12,
    "waste-sorting": 9,
    "safety": 9,
    "housing": 9,
    "elderly-care": 8,
    "health": 6,
    "child-care": 4,
    "culture": 4,
    "employment": 3,
    "disability": 2,
}

# Slots generate.py's SQL fills per need from its grid's community: kept as they are here.
PLACE_SLOTS = ("community", "estate", "road", "road2", "bldg")
FRAME_CHANNELS = ("web", "wechat", "hotline", "grid_patrol", "service_window", "council")

# category | title | what the resident says | what they ask for
OWN = """
elderly-care | {community}养老服务站想增加日间照料床位 | 站里只有六张床，老人一多就没地方休息 | 增加床位
elderly-care | 居家养老服务上门次数太少 | 每月只上门两次，每次不到一个小时，打扫个卫生就走了 | 增加上门服务的次数
elderly-care | {estate}附近想建一个社区养老驿站 | 小区七十岁以上的老人有两百多位，养老院在三公里外 | 建养老驿站
elderly-care | 社区养老助餐点的饭菜太咸 | 老人大多有高血压，助餐点的菜做得又咸又油 | 少油少盐，多做些软烂的菜
elderly-care | 咨询社区养老服务补贴标准 | 母亲今年八十二岁，想知道能享受哪些养老服务补贴 | 告知补贴标准和申请办法
elderly-care | {community}日间照料中心收费咨询 | 想把父亲白天送到日间照料中心，不知道怎么收费 | 公布收费标准
elderly-care | 希望社区组织志愿者陪独居老人聊天 | {bldg}号楼的老人一个人住，整天不说一句话 | 安排志愿者定期上门陪伴
elderly-care | 老年助浴车多久来一次 | 上次助浴车来是三个月前，卧床老人一直洗不上澡 | 固定助浴车的时间
elderly-care | 养老机构收费不透明，乱收护理费 | 护理等级说调就调，每月多收了八百元 | 查一查收费是否合规
elderly-care | {estate}老人想办老年优待证 | 父亲七十岁了，不知道优待证在哪里办 | 告知办理地点
child-care | {community}托育点名额太少 | 孩子两岁，社区托育点排了半年队还没排上 | 增加托育名额
child-care | 小区儿童游乐设施损坏 | {estate}的滑梯断了一块，孩子差点划伤 | 尽快维修或拆除
child-care | 希望社区开设暑期托管班 | 双职工家庭暑假孩子没人看 | 开设暑期托管班
disability | 残疾人停车位被占用 | {road}的无障碍停车位总被普通车辆占着 | 加强管理
disability | 盲道被共享单车占用 | {road}的盲道上停满了单车，视障朋友没法走 | 清理盲道
environment | {road}马路上的垃圾桶太少 | 从{road}路口到公交站没有一个垃圾桶 | 增设垃圾桶
environment | {estate}绿化带变成了菜地 | 有居民把绿化带刨了种菜，还浇粪水 | 恢复绿化
environment | 楼下空调外机噪音太大 | {bldg}号楼一楼商户的空调外机整夜嗡嗡响 | 让商户整改
environment | {road}河道有异味 | 天一热河道就发臭，岸边还漂着垃圾 | 清理河道
environment | 装修噪音扰民，中午也不停 | {bldg}号楼有户装修，中午和周末都在砸墙 | 按规定时间施工
environment | {estate}楼道墙上乱涂乱画 | 楼道墙上写满了电话号码和小广告 | 重新粉刷楼道
environment | 小区里有人焚烧垃圾 | {estate}有人在空地上烧落叶和垃圾，烟很大 | 制止焚烧
waste-sorting | {estate}垃圾分类投放点没有洗手池 | 扔完厨余垃圾手上全是油，附近没地方洗 | 投放点加装洗手池
waste-sorting | 垃圾分类积分卡丢了怎么补办 | 积分卡上还有三百多分 | 帮忙补办积分卡
waste-sorting | 垃圾分类宣传单看不懂 | 老人看不明白哪些是其他垃圾 | 社区组织上门讲解
waste-sorting | {estate}可回收物没人收 | 纸箱塑料瓶堆在投放点好几天了 | 安排回收
waste-sorting | 希望{community}设置旧衣物回收箱 | 家里旧衣服不少，扔了可惜 | 设置旧衣物回收箱
property | {estate}{bldg}号楼电梯维修后又坏了 | 电梯上周刚维修过，这两天又停了 | 彻底维修电梯
property | 电梯年检过期还在运行 | {bldg}号楼电梯的年检合格证去年就过期了 | 督促物业年检
property | 物业维修资金查询 | 交了十多年维修资金，不知道还剩多少 | 公布维修资金余额
property | {estate}楼道窗户玻璃碎了 | {bldg}号楼三楼楼道窗户玻璃碎了，风直往里灌 | 维修楼道窗户
property | {bldg}号楼楼道扶手断了 | 楼道扶手断了一截，老人上下楼不敢扶 | 修好楼道扶手
property | 物业私自涨物业费 | {estate}物业没开业主大会就把物业费涨了两毛 | 核查涨价是否合规
property | {estate}小区大门道闸坏了 | 道闸坏了半个月，外来车辆随便进出 | 维修道闸
property | 楼顶水箱漏水 | {bldg}号楼顶层水箱漏水，顶楼住户墙面渗水 | 维修水箱
property | 下水道反味，物业不维修 | {bldg}号楼卫生间反味，找物业好几次没人来 | 物业上门维修
property | {estate}监控坏了没人修 | 小区监控坏了一大半，丢东西查不到 | 维修监控
property | 物业不公开公共收益 | {estate}电梯广告和停车费的收入从来没公布过 | 公开公共收益
parking | {estate}停车费上涨不合理 | 物业把月租停车费从一百五涨到两百五 | 说明涨价依据
parking | {road}夜间违规停车 | 晚上{road}两边停满了车，公交车都过不去 | 加强夜间巡查
parking | 小区停车位被外来车辆占用 | {estate}的车位晚上经常被外面的车占了 | 外来车辆登记收费
parking | 希望{road}增设临时停车泊位 | {road}附近医院多，来看病的车没地方停 | 增设临时停车泊位
parking | {estate}电动车充电桩太少 | 几百辆电动车只有二十个充电口 | 增加充电桩
parking | 机动车占用非机动车道停车 | {road}非机动车道上停满了汽车 | 清理违停车辆
parking | 新能源车充电车位被燃油车占 | {estate}的充电车位常被燃油车停着 | 规范充电车位管理
safety | {estate}楼道里堆放液化气罐 | {bldg}号楼有住户在楼道里放了两个液化气罐 | 清理楼道隐患
safety | 楼道消防栓没有水 | {bldg}号楼的消防栓打开一滴水也没有 | 检修消防设施
safety | {road}人行横道红绿灯时间太短 | 老人走不到一半就变红灯了 | 延长绿灯时间
safety | {estate}围墙倒塌有安全隐患 | 小区东侧围墙塌了一段，孩子在旁边玩 | 尽快修复围墙
safety | 高空抛物砸坏车辆 | {bldg}号楼有人往下扔东西，砸坏了车窗 | 装监控查找抛物人
safety | {road}路口没有减速带 | 路口车速很快，上学的孩子过马路很危险 | 设置减速带
culture | {community}文化活动室空调坏了 | 夏天在活动室排练热得受不了 | 维修空调
culture | 希望社区多办些亲子活动 | 周末带孩子没地方去 | 社区组织亲子活动
culture | {estate}健身步道路面破损 | 步道塑胶面起皮开裂，跑步容易崴脚 | 修补健身步道
culture | 社区书法班报名咨询 | 听说{community}有免费书法班，想给父亲报名 | 告知报名方式
health | {community}卫生服务中心看病排队太久 | 早上七点去排队，十点才看上 | 增加医生或网上预约
health | 社区医院能不能开中医理疗 | 老人腰腿疼，想在家门口做理疗 | 开设中医理疗
health | 家庭医生不接电话 | 签约的家庭医生电话总是打不通 | 换一位家庭医生
health | {estate}蚊虫太多，希望消杀 | 小区绿化带积水，晚上蚊子成群 | 组织蚊虫消杀
health | 药店卖过期药 | {road}一家药店卖给我的药过期了 | 查处药店
employment | {community}公益性岗位招聘咨询 | 听说社区有公益性岗位，想报名 | 告知招聘条件
employment | 就业困难人员认定怎么办理 | 失业两年了，想申请就业困难人员认定 | 告知办理流程
employment | 外卖骑手工伤怎么认定 | 送餐时摔伤了，平台说不算工伤 | 帮忙维权
employment | 退役军人就业帮扶咨询 | 刚退役回来，想找份稳定工作 | 介绍就业帮扶政策
housing | {estate}老旧小区改造没装电梯 | 改造方案里说加装电梯，完工了也没装 | 落实加装电梯
housing | {bldg}号楼楼道墙皮大面积脱落 | 楼道墙皮一碰就掉，满地白灰 | 重新粉刷楼道
housing | 老旧小区改造后雨水管不通 | {estate}改造后下雨天单元门口积水 | 疏通雨水管
housing | {estate}单元门口台阶太高 | 改造时把台阶加高了，老人上下很吃力 | 加装扶手或坡道
housing | 棚户区改造回迁时间咨询 | 签约搬走三年了，不知道什么时候能回迁 | 公布回迁时间
housing | {bldg}号楼窗户漏风 | 老楼窗户是木框的，冬天屋里漏风 | 改造时更换窗户
"""


@dataclass(frozen=True)
class Phrase:
    category: str  # a core_category slug
    title: str  # with place slots for the SQL to fill
    description: str
    weight: float = 1.0


class _KeepPlaces(dict):
    """A slot map that leaves the place slots as they are ({estate} stays {estate})."""

    def __missing__(self, key):
        return "{" + key + "}"


def _slots(rng):
    floor = rng.randint(2, 7)
    return _KeepPlaces(
        unit=rng.randint(1, 6),
        floor=floor,
        room=f"{floor}0{rng.randint(1, 4)}",
        n=rng.randint(3, 9),
        m=rng.randint(12, 48),
        k=rng.randint(3, 9),
        when=rng.choice(T.WHEN),
        days=rng.choice(T.DAYS),
        temp=rng.randint(13, 16),
        fee=rng.choice(T.FEES),
        hours=rng.choice([20, 30, 40]),
        date="",
    )


def _describe(rng, facts, ask, slots):
    frame = rng.choice(T.FRAMES[rng.choice(FRAME_CHANNELS)])
    extra = rng.choice(T.EXTRAS + T.PLACE_EXTRAS) if rng.random() < 0.35 else ""
    return frame.format_map(_KeepPlaces(slots, facts=facts, ask=ask, extra=extra)).replace("。。", "。")


def _demo_phrases(rng):
    for category, situations in T.SITUATIONS.items():
        for situation in situations:
            variants = situation.variants
            for tags, title in situation.titles:
                variant = tags[0] if tags else rng.choice(variants)
                slots = _slots(rng)
                facts = situation.lines("facts", variant)
                asks = situation.lines("asks", variant)
                fact = rng.choice(facts).format_map(slots) if facts else title
                ask = rng.choice(asks).format_map(slots) if asks else "尽快处理"
                yield Phrase(category, title.format_map(slots), _describe(rng, fact, ask, slots))


def _own_phrases(rng):
    for line in OWN.strip().splitlines():
        category, title, fact, ask = (part.strip() for part in line.split("|"))
        yield Phrase(category, title, _describe(rng, fact, ask, _slots(rng)))


def phrases():
    """Every phrase with its weight (shares of all needs, summing to 1), in a fixed order."""
    rng = random.Random(PHRASE_SEED)
    found = [*_demo_phrases(rng), *_own_phrases(rng)]
    weighted = []
    for category, share in CATEGORY_WEIGHTS.items():
        mine = [p for p in found if p.category == category]
        rng.shuffle(mine)  # which of a category's phrasings are the common ones
        total = sum(1 / rank for rank in range(1, len(mine) + 1)) * sum(CATEGORY_WEIGHTS.values())
        weighted += [
            Phrase(p.category, p.title, p.description, share / rank / total) for rank, p in enumerate(mine, start=1)
        ]
    return weighted


def draw_table(weighted, size=SLOTS):
    """`size` 1-based phrase numbers, each phrase as often as its weight says and at least once: a
    need takes the phrase at a pseudo-random slot, so the SQL draws by weight with one array lookup."""
    counts = [max(1, round(p.weight * size)) for p in weighted]
    while sum(counts) > size:  # the minimum of one slot pushed the total over: trim the commonest
        counts[counts.index(max(counts))] -= 1
    while sum(counts) < size:
        counts[counts.index(max(counts))] += 1
    return [n for n, count in enumerate(counts, start=1) for _ in range(count)]
