from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("mine/", views.my_registrations, name="mine"),
    path("new/<slug:council>/", views.meeting_create, name="create"),
    path("calendar/<slug:council>.ics", views.council_calendar, name="council_calendar"),
    path("registrations/<id:pk>/", views.registration_detail, name="registration"),
    path("registrations/<id:pk>/qr.svg", views.registration_qr, name="registration_qr"),
    path("registrations/<id:pk>/<str:action>/", views.registration_action, name="registration_action"),
    path("follow-ups/<id:pk>/<str:action>/", views.follow_up_action, name="follow_up_action"),
    path("<id:pk>/", views.meeting_detail, name="detail"),
    path("<id:pk>/meeting.ics", views.meeting_calendar, name="calendar"),
    path("<id:pk>/items/<id:item_pk>/", views.agenda_item_detail, name="agenda_item"),
    path("<id:pk>/documents/<id:document_pk>/", views.agenda_document, name="document"),
    path("<id:pk>/register/", views.register, name="register"),
    path("<id:pk>/agenda/", views.agenda_manage, name="agenda"),
    path("<id:pk>/registrations/", views.registration_list, name="registrations"),
    path("<id:pk>/check-in/", views.check_in, name="check_in"),
    path("<id:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<id:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<id:pk>/votes/new/", views.vote_create, name="vote_create"),
    path("<id:pk>/<str:action>/", views.meeting_action, name="action"),
]
