from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from portal.core.languages import DisplayNameMixin


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")
    SUB_GRID = "sub_grid", _("Sub-grid")


# The level a child must have, given its parent's level.
CHILD_LEVEL = {
    RegionLevel.DISTRICT: RegionLevel.STREET,
    RegionLevel.STREET: RegionLevel.COMMUNITY,
    RegionLevel.COMMUNITY: RegionLevel.GRID,
    RegionLevel.GRID: RegionLevel.SUB_GRID,
}


# How deep each level lies in the tree (the district is the root, depth 1).
LEVEL_DEPTH = {
    RegionLevel.DISTRICT: 1,
    RegionLevel.STREET: 2,
    RegionLevel.COMMUNITY: 3,
    RegionLevel.GRID: 4,
    RegionLevel.SUB_GRID: 5,
}


class RegionQuerySet(MP_NodeQuerySet):
    def within(self, region):
        """The region and all regions below it."""
        return self.filter(path__startswith=region.path)


class RegionManager(MP_NodeManager):
    def get_queryset(self):
        return RegionQuerySet(self.model, using=self._db).order_by("path")

    def within(self, region):
        return self.get_queryset().within(region)


class Region(DisplayNameMixin, MP_Node):
    """A node of the district → street → community → grid → sub-grid tree.

    The materialised path (`path`) makes "everything within this region" a
    single indexed prefix query, which is how staff scope is enforced.
    """

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices, db_index=True)
    code = models.CharField(_("code"), max_length=32, unique=True)

    node_order_by = ["code"]
    objects = RegionManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    @property
    def full_name(self):
        return " / ".join(a.name for a in [*self.get_ancestors(), self])

    def contains(self, other):
        """True when `other` is this region or lies below it."""
        return other is not None and other.path.startswith(self.path)

    def ancestor_at(self, level):
        """The region at `level` that holds this one (itself if it is at that level), or None if above it."""
        path = ancestor_path(self.path, level)
        if path is None:
            return None
        if path == self.path:
            return self
        return Region.objects.filter(path=path).first()


def ancestor_path(path, level):
    """The materialised path of the ancestor at `level` (None when `path` lies above that level).

    The one place the tree's arithmetic is written: everything within a street starts
    with the street's path, which is the first `steplen * depth` characters.
    """
    length = Region.steplen * LEVEL_DEPTH[level]
    return path[:length] if len(path) >= length else None


def ancestor_path_sql(field, level):
    """SQL for the ancestor's path at `level` of `field`'s region (to group rows by street or community)."""
    from django.db.models.functions import Substr

    lookup = f"{field}__path" if field else "path"
    return Substr(lookup, 1, Region.steplen * LEVEL_DEPTH[level])


def subtree_q(regions, field="region"):
    """A Q matching rows whose `field` lies within any of `regions`."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q(pk__in=[])
    for region in regions:
        q |= Q(**{lookup: region.path})
    return q
