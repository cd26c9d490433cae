"""WSGI entry point for gunicorn (`make serve`)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
application = get_wsgi_application()

# The sensitive registers' keys must be configured before the platform serves (outside DEBUG).
from huxiao.people.checks import require_keys  # noqa: E402  (after the apps are loaded)

require_keys()
