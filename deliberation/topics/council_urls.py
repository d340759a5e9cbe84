"""The councils' public pages (the list, each council's page with its topics) and proposing a topic.

They show topics, so the topics app serves them (it sits above the councils app); the URL names
stay in the "councils" namespace.
"""

from django.urls import path

from . import council_views as views
from . import views as topic_views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="list"),
    path("<slug:slug>/", views.council_detail, name="detail"),
    path("<slug:slug>/topics/new/", topic_views.propose_topic, name="propose_topic"),
]
