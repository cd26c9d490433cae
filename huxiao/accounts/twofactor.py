"""双因素认证 (GB/T 22239-2019 level 3, 8.1.4.1 d: two or more authentication techniques, one
of them cryptographic): a password and a six-digit code from an authenticator app (TOTP, RFC 6238;
django-otp's devices), with ten one-time recovery codes for a lost phone.

Required of the three administrators (三员分立) and of every role that can read a sensitive
register (`required`); optional for everyone else (我的账号 → 启用双因素认证). A required user
who has not enrolled is sent to enrolment (a QR code to scan) right after the password; an
enrolled one is asked for a code. A lost phone: the 安全管理员 resets the user's devices (audited),
and the user enrols again at the next login. Demo accounts are exempt (production refuses them).
"""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from huxiao.accounts.roles import SENSITIVE_READ, SEPARATED_ROLES
from huxiao.accounts.scope import scope_of

DEVICE_NAME = "手机验证器"
RECOVERY_NAME = "备用验证码"
RECOVERY_CODES = 10


def required(user) -> bool:
    """Whether this account must pass a second factor to use the platform."""
    if not settings.HUXIAO_2FA_ENFORCED or not user.is_authenticated or user.is_demo:
        return False
    scope = scope_of(user)
    return bool(scope.roles & SEPARATED_ROLES) or any(
        scope.org_ids(cap, kinds=kinds) for cap, kinds in SENSITIVE_READ.items()
    )


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The not yet confirmed device of an enrolment in progress (one per user; a new secret each
    time enrolment starts afresh would strand a half-scanned code, so it is kept until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1f2937")


def remaining_recovery_codes(user) -> int:
    device = StaticDevice.objects.filter(user=user, name=RECOVERY_NAME).first()
    return device.token_set.count() if device else 0


def devices(user) -> list:
    """The user's confirmed devices: the app, then the recovery codes."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def wait_seconds(*devices) -> int:
    """How long to wait before the next try (django-otp doubles the delay after each wrong code:
    1 s, 2 s, 4 s …); 0 when a try is allowed."""
    from django.utils import timezone

    wait = 0
    for device in devices:
        allowed, data = device.verify_is_allowed()
        until = (data or {}).get("locked_until")
        if not allowed and until is not None:
            wait = max(wait, 1 + int((until - timezone.now()).total_seconds()))
    return wait
