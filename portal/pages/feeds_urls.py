from django.urls import path

from . import feeds

app_name = "feeds"
urlpatterns = [
    path("notices.rss", feeds.NoticeFeed(), name="notices_rss"),
    path("notices.atom", feeds.NoticeAtomFeed(), name="notices_atom"),
    path("project-books.rss", feeds.ProjectBookFeed(), name="books_rss"),
    path("project-books.atom", feeds.ProjectBookAtomFeed(), name="books_atom"),
]
