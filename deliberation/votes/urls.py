from django.urls import path

from . import lists, views

app_name = "votes"

urlpatterns = [
    path("", lists.vote_list, name="list"),
    path("mine/", lists.my_votes, name="mine"),
    path("new/topic/<id:topic_pk>/", views.vote_create_for_topic, name="create_for_topic"),
    path("<id:pk>/", views.vote_detail, name="detail"),
    path("<id:pk>/ballot/", views.cast_ballot, name="cast"),
    path("<id:pk>/code/", views.cast_with_code, name="cast_with_code"),
    path("<id:pk>/room/", views.vote_room, name="room"),
    path("<id:pk>/desk/", views.vote_desk, name="desk"),
    path("<id:pk>/desk/<str:action>/", views.desk_action, name="desk_action"),
    path("<id:pk>/<str:action>/", views.vote_action, name="action"),
]
