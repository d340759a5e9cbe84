from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("declarations/mine/", views.my_declarations, name="my_declarations"),
    path("reviews/", views.my_reviews, name="my_reviews"),
    path("reviews/<id:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<id:pk>/<slug:action>/", views.review_action, name="review_action"),
    path("awards/<id:pk>/<slug:action>/", views.award_action, name="award_action"),
    path("declarations/<id:pk>/", views.declaration_detail, name="declaration_detail"),
    path("declarations/<id:pk>/step/<slug:step>/", views.declaration_step, name="declaration_step"),
    path("declarations/<id:pk>/documents/<id:attachment_pk>/", views.attachment, name="declaration_attachment"),
    path("declarations/<id:pk>/<slug:action>/", views.declaration_action, name="declaration_action"),
    path("<slug:slug>/", views.call_detail, name="call_detail"),
    path("<slug:slug>/declare/", views.declare, name="declare"),
    path("<slug:slug>/review/", views.review_board, name="review_board"),
    path("<slug:slug>/object/", views.object_to, name="object"),
    path("objections/<id:pk>/<slug:action>/", views.objection_action, name="objection_action"),
    path("<id:pk>/act/<slug:action>/", views.call_action, name="call_action"),
]
