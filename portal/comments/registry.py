"""Which records may be commented on, who may see them and who may comment.

Each entry names the model, the check that a person may see the record (comments are as
public as what they are on) and, for deliberation targets, the region whose verified
residents alone may comment. The apps that own the records add theirs with `register` from
their AppConfig.ready (topics, projects, CMS notices, agenda items): this app names none of them.
"""

from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class Commentable:
    name: str  # the short name the URLs and the API use ("topic")
    model: str  # "app_label.ModelName"
    can_view: Any  # (user, obj) -> bool
    region: Any = None  # (obj) -> Region: only its verified residents may comment (deliberation)

    @property
    def model_class(self):
        return apps.get_model(self.model)

    def get(self, pk):
        return self.model_class._default_manager.filter(pk=pk).first()


COMMENTABLE = {}


def register(entry):
    COMMENTABLE[entry.name] = entry


def entry_for(obj):
    """The registry entry of `obj`'s model, or None when it may not be commented on."""
    label = f"{obj._meta.app_label}.{obj._meta.object_name}".lower()
    for entry in COMMENTABLE.values():
        if entry.model.lower() == label:
            return entry
    return None


def target_url(obj):
    if hasattr(obj, "get_absolute_url"):
        return obj.get_absolute_url()
    return getattr(obj, "url", "") or "/"


def is_page(obj):
    from wagtail.models import Page

    return isinstance(obj, Page)
