from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_create, name="project_create"),
    path("<id:pk>/", views.project_detail, name="project_detail"),
    path("<id:pk>/edit/", views.project_edit, name="project_edit"),
    path("<id:pk>/move/", views.project_move, name="project_move"),
    path("<id:pk>/assign/", views.project_assign, name="project_assign"),
]
