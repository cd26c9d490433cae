"""ASGI entry point (not used by the default deployment, kept for completeness)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
application = get_asgi_application()

# Outside DEBUG, refuse to serve on the demo's secret key or without the registers' keys.
from huxiao.core.checks import refuse_unsafe_start  # noqa: E402  (after the apps are loaded)

refuse_unsafe_start()
