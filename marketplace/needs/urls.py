from django.urls import path

from . import views

app_name = "needs"

urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("overview/", views.need_overview, name="need_overview"),
    path("new/", views.need_submit, name="need_submit"),
    path("similar/", views.need_similar, name="need_similar"),
    path("mine/", views.my_needs, name="my_needs"),
    path("queue/", views.staff_queue, name="staff_queue"),
    path("queue/bulk/", views.staff_queue_bulk, name="staff_queue_bulk"),
    path("enter/", views.need_enter, name="need_enter"),
    path("<id:pk>/", views.need_detail, name="need_detail"),
    path("<id:pk>/photos/<id:photo_pk>/", views.need_photo, name="need_photo"),
    path("<id:pk>/<str:action>/", views.need_action, name="need_action"),
]
