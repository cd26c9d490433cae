"""安全管理 (the 安全管理员 of 三员分立): the security policy in force, read from the running
settings, and the login locks in force, each of which can be lifted (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from huxiao.accounts import lockout, services
from huxiao.accounts.access import require_cap
from huxiao.accounts.roles import Cap
from huxiao.accounts.security import policy, twofactor_coverage
from huxiao.core.validation import FORBIDDEN


def security_overview(request):
    require_cap(request.user, Cap.SECURITY_MANAGE)
    coverage = twofactor_coverage()
    return render(
        request,
        "accounts/security.html",
        {
            "policy": policy(),
            "locks": lockout.locks_in_force(),
            "coverage": coverage,
            "missing": sum(1 for c in coverage if c.required and not c.enrolled),
        },
    )


@require_POST
def security_unlock(request):
    require_cap(request.user, Cap.SECURITY_MANAGE)
    username = request.POST.get("username", "")[:150]
    ip = request.POST.get("ip", "")[:45]
    if FORBIDDEN.search(username + ip):
        messages.error(request, "账号或地址包含控制字符。")
        return redirect("security:overview")
    try:
        removed = services.lockout_clear(acting_user=request.user, username=username, ip=ip)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        who = f"账号“{username}”在地址 {ip or '—'}" if username else f"地址 {ip}"
        messages.success(request, f"已解除{who}的登录锁定（清除{removed}条失败记录）。")
    return redirect("security:overview")
