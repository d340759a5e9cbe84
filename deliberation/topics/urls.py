from django.urls import path

from . import views

app_name = "topics"
urlpatterns = [
    path("<int:pk>/", views.topic_detail, name="detail"),
]
