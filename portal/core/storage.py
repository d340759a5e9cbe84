from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """Files only served through views that check permission (never under MEDIA_URL).

    The location is read from settings on every use, so tests (and deployments
    that change PRIVATE_MEDIA_ROOT) are honoured after the models are loaded.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        import os

        return os.path.abspath(self.base_location)

    def deconstruct(self):
        return ("portal.core.storage.PrivateStorage", (), {})


def private_storage():
    return PrivateStorage()
