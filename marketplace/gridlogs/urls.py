from django.urls import path

from . import views

app_name = "gridlogs"

urlpatterns = [
    path("", views.grid_log_list, name="grid_log_list"),
    path("new/", views.grid_log_new, name="grid_log_new"),
    path("<id:pk>/", views.grid_log_detail, name="grid_log_detail"),
    path("issues/<id:pk>/need/", views.issue_to_need, name="issue_to_need"),
]
