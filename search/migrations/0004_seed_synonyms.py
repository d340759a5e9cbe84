"""A first list of synonyms for a district portal, which editors keep from then on (Settings → Synonyms):
the words residents, NGOs and staff use for the same things."""

from django.db import migrations

SEED = [
    # A group holds words of one language: an English reader asking for "lift" wants the English pages first,
    # not every Chinese page about 电梯.
    "养老, 助老, 敬老, 长者, 银龄, 乐龄",
    "维修, 修理, 修缮, 修复, 维护",
    "电梯, 升降梯",
    "停车, 泊车",
    "垃圾, 废弃物",
    "助餐, 老年食堂, 长者食堂",
    "儿童, 少儿, 孩子",
    "残疾人, 残障, 助残",
    "路灯, 照明",
    "充电桩, 充电棚",
    "志愿者, 义工",
    "物业, 物管",
    "lift, elevator",
    "waste, rubbish, garbage",
    "elderly, older people, senior",
    "volunteer, volunteering",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if not SynonymGroup.objects.exists():
        SynonymGroup.objects.bulk_create([SynonymGroup(words=words) for words in SEED])


def unseed(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(words__in=SEED).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0003_synonym_groups")]

    operations = [migrations.RunPython(seed, unseed)]
