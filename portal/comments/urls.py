from django.urls import path

from . import views

app_name = "comments"
urlpatterns = [
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("on/<slug:kind>/<id:pk>/", views.post_comment, name="post"),
    path("<id:pk>/edit/", views.edit_comment, name="edit"),
    path("<id:pk>/<str:action>/", views.comment_action, name="action"),
]
