"""`notify`: the one way to tell a person something — in the app, and by email.

A message is stored as a `Notification` in the same transaction as the change it
reports: a registered message's key and parameters (`portal.notifications.messages`),
written when read in the reader's language (the list, the email in the recipient's). Its email goes
out after the commit, from a task that sends everything still pending for that
person as one email: several messages arriving together (a bulk action, a meeting
and its agenda) make one email, not a dozen. People without an account (an
invitation's address) get one email each. Later channels (SMS) hang off the same rows.
"""

from django.conf import settings
from django.utils import translation

from .models import EmailStatus, Notification


def notify(
    *,
    users=(),
    addresses=(),
    message=None,
    params=None,
    title=None,
    body=None,
    url="",
    email=True,
    attachment=None,
    language=None,
    subject=None,
):
    """Tell `users` (in the app and by email) and `addresses` (by email) something.

    `message` (a `Message` or its key) with `params` (JSON): the key and parameters are stored and the
    text is written when read, in the reader's language. Otherwise (older callers) `title` and `body` are
    callables taking the recipient (a user, or None for an address), their text stored as it is
    evaluated in the recipient's language (`language` for addresses, the site's by default).
    With `subject` (a record with a `notification_text()` method), no body is stored for users: the
    text is the subject's as it is when read, in the reader's language (a comment hidden since shows
    as hidden).
    """
    from .messages import lookup
    from .tasks import send_email_to_address_task, send_pending_emails_task

    key, params = "", dict(params or {})
    if message is not None:
        key = getattr(message, "key", message)
        if lookup(key) is None:
            raise ValueError(f"unknown notification message {key!r}")

        def title(person):
            return lookup(key).render(params)[0]

        def body(person):
            return lookup(key).render(params)[1]

    created = []
    for user in dict.fromkeys(u for u in users if u is not None):  # once each, in order
        with translation.override(user.language or settings.LANGUAGE_CODE):
            heading, text = str(title(user)), str(body(user)) if body and subject is None else ""
        wants_email = email and bool(user.email)
        created.append(
            Notification(
                recipient=user,
                message_key=key,
                params=params,
                title=heading[:200],
                body=text,
                subject=subject,
                url=url,
                attachment=attachment,
                email_status=EmailStatus.PENDING if wants_email else EmailStatus.NONE,
            )
        )
    Notification.objects.bulk_create(created)
    delay = getattr(settings, "NOTIFICATION_EMAIL_DELAY", 0)
    for recipient_id in dict.fromkeys(n.recipient_id for n in created if n.email_status == EmailStatus.PENDING):
        # Sent after the commit, a little later: whatever else arrives meanwhile goes in the same email.
        send_pending_emails_task.apply_async((recipient_id,), countdown=delay)
    for address in addresses:
        with translation.override(language or settings.LANGUAGE_CODE):
            heading = str(title(None))
            text = subject.notification_text() if subject is not None else str(body(None)) if body else ""
        send_email_to_address_task.delay(address, heading, text, url, language or settings.LANGUAGE_CODE)
    return created
