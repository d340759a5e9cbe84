import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
application = get_wsgi_application()

# Everything loaded so far (Django, Wagtail, the apps, their modules and classes) lives as long
# as the process: moved out of the collector's sight, a full collection no longer walks it
# (without this, one takes ~150 ms of a request every few hundred requests).
gc.collect()
gc.freeze()
