"""Shared demo facts: the demo password and categories, a clock for running services in the past, and
the steps `manage.py load_demo` runs.

Each app's `demo` module registers its own steps with `@demo_step(order=…, after=…)`: a step is a
function `load(ctx) -> str` (a summary line); later steps read what earlier ones put in ctx. Steps run
by `order`; `after` names the steps (a module, for its `load`, or "module:function") whose ctx a step
reads, and the command refuses to run an order that breaks one. The core names no app above it.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from importlib import import_module
from unittest import mock

from django.apps import apps
from django.utils.module_loading import module_has_submodule

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


@dataclass(frozen=True)
class DemoStep:
    name: str  # the module for its `load`, else "module:function"
    load: object
    order: int
    after: tuple = ()
    label: str = ""  # what the command prints before the step's summary (default: its app)


_steps = {}


def demo_step(*, order, after=(), label=""):
    """Register `load(ctx)` as a step of the demo district (see the module's docstring)."""

    def register(load):
        name = load.__module__ if load.__name__ == "load" else f"{load.__module__}:{load.__name__}"
        _steps[name] = DemoStep(name, load, order, tuple(after), label or load.__module__.rsplit(".", 2)[-2])
        return load

    return register


class DemoOrderError(Exception):
    pass


def demo_steps():
    """Every project app's `demo` module imported (their steps register), the steps in their order."""
    for config in apps.get_app_configs():
        if config.name.partition(".")[0] in ("portal", "marketplace", "deliberation", "search") and (
            module_has_submodule(config.module, "demo")
        ):
            import_module(f"{config.name}.demo")
    steps = sorted(_steps.values(), key=lambda step: step.order)
    done = set()
    for step in steps:
        missing = [name for name in step.after if name not in done]
        if missing:
            raise DemoOrderError(f"The demo step {step.name} runs before {', '.join(missing)}, which it reads.")
        done.add(step.name)
    return steps


demo_step(order=10)(load)
