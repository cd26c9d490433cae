"""ASGI entry point (not used by the default deployment, kept for completeness)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huxiao.settings")
application = get_asgi_application()

# The sensitive registers' keys must be configured before the platform serves (outside DEBUG).
from huxiao.people.checks import require_keys  # noqa: E402  (after the apps are loaded)

require_keys()
