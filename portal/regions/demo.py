"""The demo district, modelled on the seeds: 7 streets, 45 communities, 120 grids, 532 sub-grids."""

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


def load(ctx):
    existing = set(Region.objects.values_list("code", flat=True))
    code, name = DISTRICT
    district = Region.objects.filter(code=code).first() or Region.add_root(
        code=code, name=name, level=RegionLevel.DISTRICT
    )
    communities = [(s, c) for s, (_street, cs) in enumerate(STREETS, 1) for c in cs]
    grids_per_community = _spread(GRIDS_TOTAL, len(communities))
    sub_grids_per_grid = _spread(SUB_GRIDS_TOTAL, GRIDS_TOTAL)
    grid_index = 0
    community_index = 0
    for s, (street_name, community_names) in enumerate(STREETS, 1):
        street_code = f"{code}{s:03d}"
        street = _child(district, existing, street_code, street_name, RegionLevel.STREET)
        for c, community_name in enumerate(community_names, 1):
            community_code = f"{street_code}{c:03d}"
            community = _child(street, existing, community_code, f"{community_name}社区", RegionLevel.COMMUNITY)
            for g in range(1, grids_per_community[community_index] + 1):
                grid_code = f"{community_code}{g:02d}"
                grid = _child(community, existing, grid_code, f"{community_name}第{g}网格", RegionLevel.GRID)
                for sg in range(1, sub_grids_per_grid[grid_index] + 1):
                    _child(grid, existing, f"{grid_code}{sg:02d}", f"{community_name}{g}-{sg}微网格", RegionLevel.SUB_GRID)
                grid_index += 1
            community_index += 1
    ctx["district"] = district
    ctx["streets"] = list(Region.objects.filter(level=RegionLevel.STREET).order_by("code"))
    ctx["communities"] = list(Region.objects.filter(level=RegionLevel.COMMUNITY).order_by("code"))
    ctx["grids"] = list(Region.objects.filter(level=RegionLevel.GRID).order_by("code"))
    return f"{Region.objects.count()} regions"


def _child(parent, existing, code, name, level):
    if code in existing:
        return Region.objects.get(code=code)
    # Re-read the parent: treebeard keeps child counts on the row.
    parent.refresh_from_db()
    return parent.add_child(code=code, name=name, level=level)
