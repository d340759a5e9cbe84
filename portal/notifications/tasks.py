from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext

from .models import EmailStatus, Notification


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_pending_emails_task(user_id):
    """One email with everything still pending for this person. Idempotent: what is sent is marked sent,
    in the same transaction, so a repeated task finds nothing; a failed send leaves it pending for the retry."""
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(recipient_id=user_id, email_status=EmailStatus.PENDING)
            .select_related("recipient", "attachment")
            .order_by("created_at", "pk")
        )
        if not pending:
            return 0
        user = pending[0].recipient
        if not user.email:
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_status=EmailStatus.NONE)
            return 0
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {"items": pending, "site_url": settings.SITE_URL}
            if len(pending) == 1:
                subject = pending[0].heading
            else:
                subject = ngettext(
                    "%(n)d new message from Gongzhi", "%(n)d new messages from Gongzhi", len(pending)
                ) % {"n": len(pending)}
            text = render_to_string("notifications/email/notifications_message.txt", context)
        message = EmailMultiAlternatives(subject=" ".join(subject.split()), body=text, to=[user.email])
        for item in pending:
            if item.attachment_id:
                with item.attachment.file.open("rb") as file:
                    message.attach(item.attachment.filename, file.read(), item.attachment.content_type)
        message.send()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(email_status=EmailStatus.SENT)
        return len(pending)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email_to_address_task(address, subject, text, url, language):
    """An email to someone without an account (an invitation). Re-sending on a retry is acceptable."""
    with translation.override(language):
        body = render_to_string(
            "notifications/email/notification_message.txt",
            {"title": subject, "body": text, "url": url, "site_url": settings.SITE_URL},
        )
    EmailMultiAlternatives(subject=" ".join(subject.split()), body=body, to=[address]).send()
