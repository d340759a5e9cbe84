from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("register/", views.organisation_register, name="organisation_register"),
    path("verification/", views.verification_queue, name="verification_queue"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/members/invite/", views.member_invite, name="member_invite"),
    path("<slug:slug>/members/<id:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/documents/", views.document_upload, name="document_upload"),
    path("<slug:slug>/documents/<id:pk>/", views.document_download, name="document_download"),
    path("<slug:slug>/verify/", views.organisation_decide, {"decision": "verify"}, name="organisation_verify"),
    path("<slug:slug>/reject/", views.organisation_decide, {"decision": "reject"}, name="organisation_reject"),
]
