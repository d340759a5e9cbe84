"""Shared demo facts: the demo password and categories, and a clock for running services in the past."""

from contextlib import contextmanager
from unittest import mock

from .models import Category

DEMO_PASSWORD = "Gongzhi-demo-2026"

CATEGORIES = [
    ("elderly-care", "养老服务", "Elderly care"),
    ("child-care", "儿童关爱", "Children and youth"),
    ("disability", "助残服务", "Disability support"),
    ("environment", "环境整治", "Environment"),
    ("waste-sorting", "垃圾分类", "Waste sorting"),
    ("property", "物业管理", "Property management"),
    ("parking", "停车管理", "Parking"),
    ("safety", "平安建设", "Public safety"),
    ("culture", "文化体育", "Culture and sport"),
    ("health", "卫生健康", "Health"),
    ("employment", "就业帮扶", "Employment"),
    ("housing", "老旧小区改造", "Old housing renewal"),
]


def load(ctx):
    for slug, name, name_en in CATEGORIES:
        Category.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en})
    ctx["categories"] = {c.slug: c for c in Category.objects.all()}
    return f"{len(CATEGORIES)} categories"


@contextmanager
def clock(when):
    """Run the real services as if it were `when`: their stamps, timelines, audit entries and
    notifications carry the demo's dates instead of the moment the demo is loaded.

    Everything in Django and in this project reads the time through `django.utils.timezone.now`.
    """
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield
