from django.db import transaction

from portal.core.notify import send_templated_email

from .models import Notification


def notify(*, users, title, body=None, url="", email=True):
    """Tell `users` something in the app and, unless `email=False`, by email (after commit).

    `title` and `body` are callables taking a user, so each message is rendered in the
    recipient's own language.
    """
    from django.utils import translation

    created = []
    for user in users:
        if user is None:
            continue
        with translation.override(user.language):
            subject, text = str(title(user)), str(body(user)) if body else ""
        created.append(Notification(recipient=user, title=subject, body=text, url=url))
        if email and user.email:
            transaction.on_commit(
                lambda u=user, s=subject, t=text: send_templated_email(
                    "notifications/email/notification",
                    to=[u.email],
                    context={"title": s, "body": t, "url": url},
                    language=u.language,
                )
            )
    Notification.objects.bulk_create(created)
    return created
