from django.urls import path

from . import views

app_name = "follows"
urlpatterns = [path("<str:kind>/<id:pk>/", views.toggle, name="toggle")]
