from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email_task


def send_templated_email(template_prefix, *, to, context, language=None):
    """Render `<prefix>_subject.txt` and `<prefix>_message.txt` now and send them from a task.

    Call it from `transaction.on_commit` so nothing is sent for a rolled-back change.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
    send_email_task.delay(subject, body, list(to))
