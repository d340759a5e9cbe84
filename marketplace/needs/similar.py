"""Similar needs, through the search layer: open needs of the same community and category whose titles share
a telling word with the text (the need form's duplicate check, the need page's "me too" and merge list).

jieba's plain cut keeps one reading of a phrase (小区路灯不亮 → 小区 / 路 / 灯不亮), so two ways of telling the
same problem may share no word (路灯坏了晚上很黑 → 路灯 …). Both sides therefore use every dictionary word
inside the text (`telling_words`, jieba's full mode): a need's index entry holds those of its title
(search_documents.py) and the question asks by those of the text. Words that most of a community's needs
share (小区, 居民, 问题…) and the place's own name say nothing about the problem: they are left out, so
小区路灯不亮 and 小区绿化带杂草 are not similar, while 小区路灯不亮 and 路灯坏了晚上很黑 are.

marketplace/needs/importing.py checks thousands of rows at once by bigrams (search.text) over its own
candidates; CANDIDATES and bigrams stay here for it.
"""

import rjieba

from portal.regions.models import RegionLevel
from search.query import similar
from search.text import bigrams, similarity

from .models import OPEN_STATUSES, Need

__all__ = ["CANDIDATES", "bigrams", "similar_needs", "similarity", "telling_words"]

CANDIDATES = 200  # importing.py's pool of candidates per community and category
ASKED_PER_SHOWN = 3  # hits asked of the layer per need shown: some fail the overlap check below

# Words in most needs of any community: where, who and the asking, not the problem.
_COMMON = """
小区 社区 居民 业主 住户 大家 我们 你们 他们 这个 那个 一个 问题 情况 希望 要求
请求 反映 尽快 及时 解决 处理 帮助 麻烦 谢谢 现在 目前 已经 一直 经常 很多 没有
不能 可以 需要 影响 附近 周边 周围 门口 楼下 街道 网格 单元 号楼 多次 长期 时间
"""
COMMON_WORDS = frozenset(_COMMON.split())


def telling_words(text):
    """Every dictionary word of two or more letters inside `text` (jieba's full mode), lowercased, each once,
    in the order met."""
    words = ("".join(ch for ch in word.lower() if ch.isalnum()) for word in rjieba.cut_all(text or ""))
    return list(dict.fromkeys(word for word in words if len(word) > 1))


def community_of(region):
    return region.ancestor_at(RegionLevel.COMMUNITY) or region


def _overlaps(asked, title, threshold):
    """At least one telling word shared, and at least `threshold` of the shorter side's telling words."""
    theirs = set(telling_words(title)) - COMMON_WORDS
    shared = asked & theirs
    return bool(shared) and len(shared) >= threshold * min(len(asked), len(theirs))


def similar_needs(*, region, category, text, exclude=None, limit=5, threshold=0.12):
    """Open needs of `region`'s community and `category` like `text`, best first (the layer's order)."""
    area = community_of(region)
    place = set(telling_words(f"{area.name} {region.name}"))
    asked = [word for word in telling_words(text) if word not in COMMON_WORDS and word not in place]
    if not asked:
        return []
    hits = similar(
        "need",
        text=" ".join(asked),
        region_path=area.path,
        category=category.pk,
        statuses=OPEN_STATUSES,
        limit=(limit + 1) * ASKED_PER_SHOWN,
    )
    ids = [hit.object_id for hit in hits if exclude is None or hit.object_id != exclude.pk]
    if not ids:
        return []
    # The records themselves, as they are now: an entry not yet rewritten cannot bring back a closed need.
    found = Need.objects.filter(
        pk__in=ids, status__in=OPEN_STATUSES, category=category, region__path__startswith=area.path
    ).select_related("region", "category")
    by_pk = {need.pk: need for need in found}
    chosen = set(asked)
    needs = [by_pk[pk] for pk in ids if pk in by_pk and _overlaps(chosen, by_pk[pk].title, threshold)]
    return needs[:limit]
