from types import SimpleNamespace

from portal.regions.models import Region, RegionLevel


def build_tree():
    """A small district with two streets, so scope rules have somewhere to fail.

    district
      street_a: community_a1 (grid_a1 → sub_grid_a1), community_a2
      street_b: community_b1 (grid_b1)
    """
    district = Region.add_root(code="D", name="测试区", level=RegionLevel.DISTRICT)

    def child(parent, code, name, level):
        parent.refresh_from_db()
        return parent.add_child(code=code, name=name, level=level)

    t = SimpleNamespace(district=district)
    t.street_a = child(district, "D01", "甲街道", RegionLevel.STREET)
    t.street_b = child(district, "D02", "乙街道", RegionLevel.STREET)
    t.community_a1 = child(t.street_a, "D0101", "甲一社区", RegionLevel.COMMUNITY)
    t.community_a2 = child(t.street_a, "D0102", "甲二社区", RegionLevel.COMMUNITY)
    t.community_b1 = child(t.street_b, "D0201", "乙一社区", RegionLevel.COMMUNITY)
    t.grid_a1 = child(t.community_a1, "D010101", "甲一第1网格", RegionLevel.GRID)
    t.sub_grid_a1 = child(t.grid_a1, "D01010101", "甲一1-1微网格", RegionLevel.SUB_GRID)
    t.grid_b1 = child(t.community_b1, "D020101", "乙一第1网格", RegionLevel.GRID)
    for name, region in list(vars(t).items()):
        setattr(t, name, Region.objects.get(pk=region.pk))
    return t
