"""Older rows, stored as rendered text: those that read back exactly as a registered message get its key and
parameters (portal/notifications/legacy.py); the others keep their stored text, shown as it is."""

from django.db import migrations


def key_old_rows(apps, schema_editor):
    from portal.notifications.legacy import key_old_notifications

    Notification = apps.get_model("notifications", "Notification")
    if Notification.objects.filter(message_key="").exists():
        key_old_notifications(Notification)


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_notification_message_key")]

    operations = [migrations.RunPython(key_old_rows, migrations.RunPython.noop, elidable=True)]
