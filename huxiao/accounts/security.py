"""The security posture in words, read from the running settings and the database: the policy in
force and who must and who has enrolled a second factor. Shown by 安全管理 and the 等保自评."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.db.models import Q
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.accounts.models import User
from huxiao.accounts.roles import ROLES, SENSITIVE_READ, SENSITIVE_READ_CAPS, SEPARATED_ROLES


def policy() -> list[tuple[str, str]]:
    """The security settings in force, in words (what the page and the self-assessment show)."""
    configured = cast(list[dict[str, Any]], settings.AUTH_PASSWORD_VALIDATORS)
    validators = {v["NAME"].rsplit(".", 1)[-1]: v.get("OPTIONS", {}) for v in configured}
    length = validators.get("MinimumLengthValidator", {}).get("min_length", 8)
    classes = validators.get("CharacterClassesValidator", {}).get("min_classes")
    cooloff = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    https = getattr(settings, "SESSION_COOKIE_SECURE", False)
    return [
        (
            "口令复杂度",
            f"至少{length}位"
            + (f"，含大写字母、小写字母、数字、符号中的至少{classes}类" if classes else "")
            + "；不得包含用户名，不得为常见弱口令；管理员新建或重置的账号首次登录须修改",
        ),
        ("口令存储", "Argon2 加盐单向散列，不保存明文"),
        (
            "登录失败处理",
            f"同一账号在同一地址连续失败{settings.AXES_FAILURE_LIMIT}次锁定{cooloff}分钟；"
            f"同一地址{cooloff}分钟内失败{settings.LOGIN_IP_FAILURE_LIMIT}次（不论账号）锁定该地址",
        ),
        (
            "双因素认证",
            "系统管理员、安全审计员、安全管理员及可查阅敏感登记信息的角色必须使用（密码＋手机验证器动态验证码，"
            "另有10个一次性备用验证码）；其他角色可自愿启用"
            if settings.HUXIAO_2FA_ENFORCED
            else "未强制（HUXIAO_2FA_ENFORCED=false），不符合等级保护第三级要求",
        ),
        ("会话超时", f"无操作{settings.SESSION_COOKIE_AGE // 60}分钟自动退出；关闭浏览器即退出"),
        (
            "传输加密",
            "已启用：仅通过 HTTPS 传送登录凭据和会话（含 HSTS）"
            if https
            else "未启用（HUXIAO_HTTPS 未设置）",
        ),
    ]


@dataclass(frozen=True)
class Coverage:
    user: User
    roles: str
    required: bool
    enrolled: bool


def _requires(membership) -> bool:
    """Whether this membership alone makes its holder sign in with a second factor (the same rule
    as `twofactor.required`, read from a membership)."""
    role = ROLES[membership.role]
    if membership.role in SEPARATED_ROLES:
        return True
    kind = membership.organisation.kind
    return any(cap in role.caps and (kinds is None or kind in kinds) for cap, kinds in SENSITIVE_READ.items())


def twofactor_coverage() -> list[Coverage]:
    """Every active account that must pass a second factor, and every other that chose to, with
    whether it has enrolled."""
    codes = [r.code for r in ROLES.values() if r.code in SEPARATED_ROLES or r.caps & SENSITIVE_READ_CAPS]
    enrolled = set(TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True))
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(memberships__is_active=True, memberships__role__in=codes) | Q(pk__in=enrolled))
        .distinct()
        .prefetch_related("memberships__organisation")
        .order_by("username")
    )
    rows = []
    for user in users:
        active = [m for m in user.memberships.all() if m.is_active]
        required = settings.HUXIAO_2FA_ENFORCED and not user.is_demo and any(_requires(m) for m in active)
        roles = "；".join(f"{m.organisation} · {ROLES[m.role].label}" for m in active)
        if required or user.pk in enrolled:  # a role that needs 2FA only in some units
            rows.append(Coverage(user, roles, required, user.pk in enrolled))
    return rows
