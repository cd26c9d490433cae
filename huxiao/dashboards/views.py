"""The home page (工作台), the 数据看板 and the 数据大屏 (a wall display that refreshes itself)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.dashboards import assessment, snapshots
from huxiao.dashboards.selectors import home_cards
from huxiao.dashboards.snapshots import board_for

# How often the 大屏 fetches its data fragment (seconds).
SCREEN_REFRESH_SECONDS = 60


def home(request):
    memberships = request.user.memberships.active().select_related("organisation")
    return render(
        request, "dashboards/home.html", {"cards": home_cards(request.user), "memberships": memberships}
    )


def overview(request):
    """数据看板: the user's scope in figures and charts (403 without 学校查看); a large scope's
    board comes from a snapshot at most a minute old (snapshots.py), `?refresh=1` recomputes it."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    current = board_for(request.user, refresh=request.GET.get("refresh") == "1")
    return render(request, "dashboards/overview.html", {"board": current, "live_limit": snapshots.LIVE_LIMIT})


def screen(request):
    """数据大屏: full screen, dark, no navigation; its data fragment reloads every minute."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    return render(
        request,
        "dashboards/screen.html",
        {"board": board_for(request.user), "refresh_seconds": SCREEN_REFRESH_SECONDS},
    )


@never_cache
def screen_data(request):
    """The 大屏's data fragment (what dashboards.js fetches). Rendered without the page's
    context processors: no navigation, no inbox badge — only the board."""
    require_cap(request.user, Cap.SCHOOL_VIEW)
    html = render_to_string("dashboards/_screen_data.html", {"board": board_for(request.user)})
    return HttpResponse(html)


def security_assessment(request):
    """等保自评: each level-3 control with the running system's evidence (安全审计员, 安全管理员)."""
    if not assessment.may_read(request.user):
        raise PermissionDenied("等保自评仅供安全审计员和安全管理员查阅。")
    return render(request, "dashboards/assessment.html", {"controls": assessment.controls()})
