from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage():
    """Files only served through views that check permission (never under MEDIA_URL)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
