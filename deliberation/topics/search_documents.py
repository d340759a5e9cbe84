"""Topics in the search layer: every topic, as the public topic list shows every one (no status of a
topic is private: `PUBLIC_STATUSES` is all of them), by its title and what it asks."""

from django.utils.translation import gettext_lazy as _

from search.registry import Document, SearchType


def document(topic):
    from .models import PUBLIC_STATUSES

    if topic.status not in PUBLIC_STATUSES:
        return None
    return Document(
        title=topic.title,
        url=topic.get_absolute_url(),
        summary=topic.body,
        region_id=topic.region_id,
        category_id=topic.category_id,
        status=topic.status,
        dated=topic.created_at,
    )


def register():
    from search import registry

    from .models import Topic, TopicStatus

    registry.register(
        SearchType(
            name="topic",
            label=_("Topics"),
            model=Topic,
            document=document,
            # `document` reads the topic's own columns only.
            queryset=lambda: Topic.objects.all(),
            order=60,
            boost=0.3,
            status_labels=lambda: dict(TopicStatus.choices),
        )
    )
