"""Navigation by role: each entry appears only for users whose roles carry its capability."""

from __future__ import annotations

from django.urls import reverse

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.notifications.models import Notification

# (label, url name, capability needed or None for everyone logged in). A label listed twice
# goes to the first entry the user qualifies for (the police's 护学岗 is their station page).
NAV = [
    ("工作台", "dashboards:home", None),
    ("数据看板", "dashboards:overview", Cap.SCHOOL_VIEW),
    ("专项行动", "campaigns:campaign-list", Cap.SCHOOL_VIEW),
    ("学校名录", "schools:school-list", Cap.SCHOOL_VIEW),
    ("隐患台账", "hazards:hazard-list", Cap.SCHOOL_VIEW),
    ("检查", "inspections:inspection-list", Cap.SCHOOL_VIEW),
    ("三防达标", "standards:compliance", Cap.SCHOOL_VIEW),
    ("护学岗", "duty:station", Cap.DUTY_LOG),
    ("护学岗", "duty:coverage", Cap.SCHOOL_VIEW),
    ("周边与地图", "surroundings:map", Cap.SCHOOL_VIEW),
    ("月度统计表", "monthly:report-list", Cap.SCHOOL_VIEW),
    ("审计日志", "audit:list", Cap.AUDIT_VIEW),
    ("账号管理", "accounts:user-list", Cap.ACCOUNT_MANAGE),
    ("区划与单位", "directory:organisation-list", Cap.ORG_MANAGE),
    ("文书模板", "reports:template-list", Cap.ORG_MANAGE),
    ("消息", "notifications:notification-list", None),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_of(user)
    items, labels = [], set()
    for label, name, cap in NAV:
        if label in labels or not (cap is None or scope.has(cap)):
            continue
        labels.add(label)
        url = reverse(name)
        active = request.path == url or (name != "dashboards:home" and request.path.startswith(url))
        items.append({"label": label, "url": url, "active": active})
    roles = scope.role_labels()
    # one COUNT per page, for the inbox badge in the top bar
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"nav_items": items, "nav_roles": roles, "unread_count": unread}
