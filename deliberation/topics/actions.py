"""What can be done to a topic: each action once, for the topic page and the API alike."""

from django.utils.translation import gettext_lazy as _

from portal.core.actions import Action, ActionTable

from . import services
from .forms import ClassifyForm, MergeForm, ReasonForm
from .models import TopicStatus as T
from .rules import SUPPORTABLE
from .serializers import ClassifySerializer, MergeSerializer, ReasonSerializer

TOPIC_ACTIONS = ActionTable(
    [
        Action(
            "support",
            perm="topics.support_topic",
            when=lambda t: t.status in SUPPORTABLE,
            run=lambda by, t, d: services.support_topic(by=by, topic=t),
            done=_("Thank you for your support."),
            description="A verified resident of the council's region supports the topic (once; not their own).",
        ),
        Action(
            "classify",
            perm="topics.manage_topic",
            when=lambda t: t.status not in (T.MERGED, T.REJECTED),
            form=ClassifyForm,
            serializer=ClassifySerializer,
            run=lambda by, t, d: services.classify_topic(by=by, topic=t, category=d["category"]),
            done=_("The topic's category is saved."),
            description="Staff of the council's region set the topic's category.",
        ),
        Action(
            "merge",
            perm="topics.manage_topic",
            target=T.MERGED,
            form=MergeForm,
            serializer=MergeSerializer,
            run=lambda by, t, d: services.merge_topic(by=by, topic=t, into=d["into"], note=d.get("note", "")),
            done=_("The topic is merged; its supporters now support the other topic."),
            description="Staff merge a duplicate into another topic of the council; supports carry over, "
            "nobody counted twice.",
        ),
        Action(
            "reject",
            perm="topics.manage_topic",
            target=T.REJECTED,
            form=ReasonForm,
            serializer=ReasonSerializer,
            run=lambda by, t, d: services.reject_topic(by=by, topic=t, reason=d["reason"]),
            done=_("The topic is not taken up; its proposer and supporters have been told why."),
            description="Staff of the council's region decline a topic, with a reason.",
        ),
    ],
    workflow=services.topic_workflow,
)
