from django.urls import path

from . import views

app_name = "implementation"

urlpatterns = [
    path("queue/", views.staff_queue, name="staff_queue"),
    path("projects/<id:pk>/", views.project_progress, name="project_progress"),
    path("projects/<id:pk>/report/", views.report_progress, name="report_progress"),
    path("projects/<id:pk>/milestones/", views.milestone_plan, name="milestone_plan"),
    path("projects/<id:pk>/rate/", views.rate_project, name="rate_project"),
    path("projects/<id:pk>/paper-ratings/", views.enter_paper_rating, name="paper_rating"),
    path("projects/<id:pk>/evaluation/", views.open_evaluation, name="open_evaluation"),
    path("photos/<id:pk>/", views.photo, name="photo"),
    path("tranches/<id:pk>/<str:action>/", views.tranche_action, name="tranche_action"),
    path("milestones/<id:pk>/", views.milestone_detail, name="milestone_detail"),
    path("milestones/<id:pk>/<str:action>/", views.milestone_action, name="milestone_action"),
]
