import factory
from django.utils import timezone

from marketplace.needs.models import Need
from portal.core.models import Category


def category(slug="environment", name="环境整治"):
    return Category.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": slug})[0]


class NeedFactory(factory.django.DjangoModelFactory):
    """A need as a row; lifecycle tests go through the services instead."""

    class Meta:
        model = Need

    title = factory.Sequence(lambda n: f"小区路灯不亮{n}")
    description = "晚上小区里很黑，老人出门不方便。"
    category = factory.LazyFunction(category)
    created_at = factory.LazyFunction(timezone.now)
    contact_phone = "13800000000"
