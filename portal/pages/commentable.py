"""CMS notices may be commented on while they are live, public and not expired."""

from portal.comments.registry import Commentable, register


def _notice_visible(user, page):
    from .models import NoticePage

    return (
        not page.is_expired() and NoticePage.objects.live().public().filter(pk=page.pk).exists()
        if isinstance(page, NoticePage)
        else False
    )


def register_notices():
    register(Commentable("notice", "pages.NoticePage", _notice_visible))
