from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("<id:pk>/", views.project_detail, name="project_detail"),
]
