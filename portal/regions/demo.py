"""The demo district, modelled on the seeds: 7 streets, 45 communities, 120 grids, 532 sub-grids.

Built in memory with treebeard-compatible paths and inserted in one bulk
statement per level: adding 705 nodes one `add_child` at a time takes seconds.
"""

from portal.core.demo import demo_step

from .models import Region, RegionLevel

DISTRICT = ("210299", "西港区", "Xigang District")
# (street, its English name, [(community, its pinyin)]). The English names of grids and
# sub-grids follow from their community's: 长春第1网格 → Changchun Grid 1.
STREETS = [
    ("人民广场街道", "Renmin Square Subdistrict", [
        ("长春", "Changchun"), ("胜利", "Shengli"), ("新华", "Xinhua"), ("东关", "Dongguan"),
        ("民主", "Minzhu"), ("站北", "Zhanbei"), ("葵英", "Kuiying"),
    ]),
    ("白云街道", "Baiyun Subdistrict", [
        ("白云新村", "Baiyun Xincun"), ("石道街", "Shidaojie"), ("南石道", "Nanshidao"),
        ("莲花山", "Lianhuashan"), ("玉华", "Yuhua"), ("英华", "Yinghua"),
    ]),
    ("日新街道", "Rixin Subdistrict", [
        ("日新", "Rixin"), ("北海", "Beihai"), ("大同", "Datong"), ("青云", "Qingyun"),
        ("茂林", "Maolin"), ("信和", "Xinhe"), ("新开", "Xinkai"),
    ]),
    ("北京街道", "Beijingjie Subdistrict", [
        ("北京街", "Beijingjie"), ("友好", "Youhao"), ("丹东街", "Dandongjie"), ("永和", "Yonghe"),
        ("西安路", "Xi'anlu"), ("长江", "Changjiang"),
    ]),
    ("八一路街道", "Bayilu Subdistrict", [
        ("八一", "Bayi"), ("黄河", "Huanghe"), ("振兴", "Zhenxing"), ("安阳", "Anyang"),
        ("锦华", "Jinhua"), ("菜市", "Caishi"), ("滨河", "Binhe"),
    ]),
    ("香炉礁街道", "Xianglujiao Subdistrict", [
        ("香炉礁", "Xianglujiao"), ("东北路", "Dongbeilu"), ("春风", "Chunfeng"), ("春华", "Chunhua"),
        ("沿海", "Yanhai"), ("兴工", "Xinggong"),
    ]),
    ("海滨街道", "Haibin Subdistrict", [
        ("海滨", "Haibin"), ("望海", "Wanghai"), ("临港", "Lingang"), ("渔港", "Yugang"),
        ("观澜", "Guanlan"), ("松林", "Songlin"),
    ]),
]  # fmt: skip
GRIDS_TOTAL, SUB_GRIDS_TOTAL = 120, 532


def _spread(total, buckets):
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


class _Node:
    def __init__(self, code, name, name_en, level, path):
        self.code, self.name, self.name_en, self.level, self.path = code, name, name_en, level, path
        self.children = []

    def child(self, code, name, name_en, level):
        node = _Node(code, name, name_en, level, self.path + Region._get_path(None, 1, len(self.children) + 1))
        self.children.append(node)
        return node

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


def build_tree():
    code, name, name_en = DISTRICT
    root = _Node(code, name, name_en, RegionLevel.DISTRICT, Region._get_path(None, 1, 1))
    communities = [c for _street, _en, cs in STREETS for c in cs]
    grids_per_community = iter(_spread(GRIDS_TOTAL, len(communities)))
    sub_grids_per_grid = iter(_spread(SUB_GRIDS_TOTAL, GRIDS_TOTAL))
    for s, (street_name, street_en, community_names) in enumerate(STREETS, 1):
        street = root.child(f"{code}{s:03d}", street_name, street_en, RegionLevel.STREET)
        for c, (cn, en) in enumerate(community_names, 1):
            community = street.child(f"{street.code}{c:03d}", f"{cn}社区", f"{en} Community", RegionLevel.COMMUNITY)
            for g in range(1, next(grids_per_community) + 1):
                grid = community.child(f"{community.code}{g:02d}", f"{cn}第{g}网格", f"{en} Grid {g}", RegionLevel.GRID)
                for sg in range(1, next(sub_grids_per_grid) + 1):
                    sub_grid = (f"{cn}{g}-{sg}微网格", f"{en} Sub-grid {g}-{sg}")
                    grid.child(f"{grid.code}{sg:02d}", *sub_grid, RegionLevel.SUB_GRID)
    return root


@demo_step(order=20, after=["portal.core.demo"])
def load(ctx):
    root = build_tree()
    if not Region.objects.filter(code=root.code).exists():
        if Region.get_root_nodes().exists():
            raise RuntimeError("Another region tree exists; the demo district needs an empty region table.")
        Region.objects.bulk_create(
            [
                Region(
                    code=n.code,
                    name=n.name,
                    name_en=n.name_en,
                    level=n.level,
                    path=n.path,
                    depth=len(n.path) // Region.steplen,
                    numchild=len(n.children),
                )
                for n in root.walk()
            ],
            batch_size=500,
        )
    else:
        # A district loaded before regions had English names gets them now.
        english = {n.code: n.name_en for n in root.walk()}
        missing = list(Region.objects.filter(code__in=english, name_en=""))
        for region in missing:
            region.name_en = english[region.code]
        Region.objects.bulk_update(missing, ["name_en"], batch_size=500)
    ctx["district"] = Region.objects.get(code=root.code)
    ctx["streets"] = list(Region.objects.filter(level=RegionLevel.STREET).order_by("code"))
    ctx["communities"] = list(Region.objects.filter(level=RegionLevel.COMMUNITY).order_by("code"))
    ctx["grids"] = list(Region.objects.filter(level=RegionLevel.GRID).order_by("code"))
    return f"{Region.objects.count()} regions"
