from django.urls import path

from . import views

app_name = "topics"
urlpatterns = [
    path("", views.topic_list, name="list"),
    path("agenda-queue/", views.agenda_queue, name="agenda_queue"),
    path("<id:pk>/", views.topic_detail, name="detail"),
    path("<id:pk>/<str:action>/", views.topic_action, name="action"),
]
