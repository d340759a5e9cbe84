"""The demo district, modelled on the seeds: 7 streets, 45 communities, 120 grids, 532 sub-grids.

Built in memory with treebeard-compatible paths and inserted in one bulk
statement per level: adding 705 nodes one `add_child` at a time takes seconds.
"""

from .models import Region, RegionLevel

DISTRICT = ("210299", "西港区")
STREETS = [
    ("人民广场街道", ["长春", "胜利", "新华", "东关", "民主", "站北", "葵英"]),
    ("白云街道", ["白云新村", "石道街", "南石道", "莲花山", "玉华", "英华"]),
    ("日新街道", ["日新", "北海", "大同", "青云", "茂林", "信和", "新开"]),
    ("北京街道", ["北京街", "友好", "丹东街", "永和", "西安路", "长江"]),
    ("八一路街道", ["八一", "黄河", "振兴", "安阳", "锦华", "菜市", "滨河"]),
    ("香炉礁街道", ["香炉礁", "东北路", "春风", "春华", "沿海", "兴工"]),
    ("海滨街道", ["海滨", "望海", "临港", "渔港", "观澜", "松林"]),
]
GRIDS_TOTAL, SUB_GRIDS_TOTAL = 120, 532


def _spread(total, buckets):
    base, extra = divmod(total, buckets)
    return [base + (1 if i < extra else 0) for i in range(buckets)]


class _Node:
    def __init__(self, code, name, level, path):
        self.code, self.name, self.level, self.path = code, name, level, path
        self.children = []

    def child(self, code, name, level):
        node = _Node(code, name, level, self.path + Region._get_path(None, 1, len(self.children) + 1))
        self.children.append(node)
        return node

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


def build_tree():
    code, name = DISTRICT
    root = _Node(code, name, RegionLevel.DISTRICT, Region._get_path(None, 1, 1))
    communities = [c for _street, cs in STREETS for c in cs]
    grids_per_community = iter(_spread(GRIDS_TOTAL, len(communities)))
    sub_grids_per_grid = iter(_spread(SUB_GRIDS_TOTAL, GRIDS_TOTAL))
    for s, (street_name, community_names) in enumerate(STREETS, 1):
        street = root.child(f"{code}{s:03d}", street_name, RegionLevel.STREET)
        for c, community_name in enumerate(community_names, 1):
            community = street.child(f"{street.code}{c:03d}", f"{community_name}社区", RegionLevel.COMMUNITY)
            for g in range(1, next(grids_per_community) + 1):
                grid = community.child(f"{community.code}{g:02d}", f"{community_name}第{g}网格", RegionLevel.GRID)
                for sg in range(1, next(sub_grids_per_grid) + 1):
                    grid.child(f"{grid.code}{sg:02d}", f"{community_name}{g}-{sg}微网格", RegionLevel.SUB_GRID)
    return root


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
                    level=n.level,
                    path=n.path,
                    depth=len(n.path) // Region.steplen,
                    numchild=len(n.children),
                )
                for n in root.walk()
            ],
            batch_size=500,
        )
    ctx["district"] = Region.objects.get(code=root.code)
    ctx["streets"] = list(Region.objects.filter(level=RegionLevel.STREET).order_by("code"))
    ctx["communities"] = list(Region.objects.filter(level=RegionLevel.COMMUNITY).order_by("code"))
    ctx["grids"] = list(Region.objects.filter(level=RegionLevel.GRID).order_by("code"))
    return f"{Region.objects.count()} regions"
