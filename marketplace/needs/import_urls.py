from django.urls import path

from . import import_views

app_name = "needs_import"

urlpatterns = [
    path("", import_views.import_start, name="import_start"),
    path("<id:pk>/", import_views.import_job, name="import_job"),
    path("<id:pk>/import/", import_views.import_confirm, name="import_confirm"),
]
