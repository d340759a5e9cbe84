from django.urls import path

from . import views

app_name = "councils"
urlpatterns = [
    path("", views.council_list, name="list"),
    path("<slug:slug>/", views.council_detail, name="detail"),
]
