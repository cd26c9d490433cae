"""The top bar: the menu each app registered (accounts.navigation), the user's roles and unread count."""

from __future__ import annotations

from django.urls import reverse

from huxiao.accounts.navigation import entries
from huxiao.accounts.scope import scope_of
from huxiao.notifications.models import Notification


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    items, labels = [], set()
    for entry in entries():
        label, name = entry.label, entry.url_name
        if label in labels or not entry.shown_to(user, scope):
            continue
        labels.add(label)
        url = reverse(name)
        active = request.path == url or (name != "dashboards:home" and request.path.startswith(url))
        items.append({"label": label, "url": url, "active": active})
    roles = scope.role_labels()
    # one COUNT per page, for the inbox badge in the top bar
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"nav_items": items, "nav_roles": roles, "unread_count": unread}
