"""WSGI entry point for gunicorn (`make serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
application = get_wsgi_application()

# Outside DEBUG, refuse to serve on the demo's secret key or without the registers' keys.
from huxiao.core.checks import refuse_unsafe_start  # noqa: E402  (after the apps are loaded)

refuse_unsafe_start()
