from django.urls import path

from deliberation.topics import views as topic_views

from . import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="list"),
    path("<slug:slug>/", views.council_detail, name="detail"),
    path("<slug:slug>/topics/new/", topic_views.propose_topic, name="propose_topic"),
]
