from django.urls import path

from . import views

app_name = "adoptions"

urlpatterns = [
    path("mine/", views.my_claims, name="my_claims"),
    path("queue/", views.staff_queue, name="staff_queue"),
    path("projects/<id:pk>/claim/<str:mode>/", views.claim_project, name="claim_project"),
    path("projects/<id:pk>/bid/", views.submit_bid, name="bid_submit"),
    path("projects/<id:pk>/bids/", views.compare_bids, name="bid_compare"),
    path("projects/<id:pk>/opinions/", views.record_opinion, name="opinion_record"),
    path("bids/<id:pk>/", views.bid_detail, name="bid_detail"),
    path("bids/<id:pk>/attachments/<id:attachment_pk>/", views.bid_attachment, name="bid_attachment"),
    path("bids/<id:pk>/<str:action>/", views.bid_action, name="bid_action"),
    path("<id:pk>/", views.adoption_detail, name="adoption_detail"),
    path("<id:pk>/<str:action>/", views.adoption_action, name="adoption_action"),
]
