"""Account writes: creation by an administrator, memberships, password change, log out everywhere."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from huxiao.accounts.models import Membership, User
from huxiao.accounts.roles import ROLES, SEPARATED_ROLES, Cap
from huxiao.accounts.scope import forget_scope, scope_of, units_within
from huxiao.core import audit
from huxiao.core.models import Organisation

_PUBLIC_USER_FIELDS = ["username", "full_name", "phone", "is_active", "is_demo", "must_change_password"]


def _require_admin(acting_user) -> None:
    if acting_user is not None and not scope_of(acting_user).has(Cap.ACCOUNT_MANAGE):
        raise PermissionDenied("您没有管理账号的权限。")


@transaction.atomic
def account_create(
    *, acting_user, username: str, full_name: str, password: str, phone: str = "", is_demo: bool = False
) -> User:
    """Create an account. Accounts an administrator creates must change the password at first
    login; demo accounts (created by the demo loader, `acting_user=None`) are exempt."""
    _require_admin(acting_user)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "用户名已存在。"})
    user = User(
        username=username, full_name=full_name, phone=phone, is_demo=is_demo, must_change_password=not is_demo
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit.record(
        actor=acting_user, action="account.create", obj=user, after=audit.snapshot(user, _PUBLIC_USER_FIELDS)
    )
    return user


@transaction.atomic
def membership_grant(
    *, acting_user, user: User, organisation: Organisation, role: str, title: str = ""
) -> Membership:
    """Give a user a role in an organisation (idempotent: an existing one is re-activated).

    Refused: a unit outside the administrator's jurisdiction, a role for one's own account (an
    administrator would otherwise give themselves the records they must not read), and a second
    role of the three separated ones (三员分立: 系统管理员, 安全审计员, 安全管理员)."""
    _require_admin(acting_user)
    if acting_user is not None:
        if not units_within(acting_user, Cap.ACCOUNT_MANAGE).filter(pk=organisation.pk).exists():
            raise ValidationError({"organisation": "该单位不在您的管辖范围内。"})
        if acting_user.pk == user.pk:
            raise ValidationError({"role": "不能给自己的账号添加角色，请由另一位系统管理员办理。"})
    if role in SEPARATED_ROLES:
        # the user's row is locked so two simultaneous grants cannot both pass the check
        User.objects.select_for_update().filter(pk=user.pk).first()
        held = (
            user.memberships.filter(is_active=True, role__in=SEPARATED_ROLES)
            .exclude(role=role)
            .values_list("role", flat=True)
            .first()
        )
        if held:
            raise ValidationError(
                {
                    "role": f"三员分立：该账号已是{ROLES[held].label}，不能再担任{ROLES[role].label}"
                    "（系统管理员、安全审计员、安全管理员须由不同的人担任）。"
                }
            )
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"title": title}
    )
    if not created and not membership.is_active:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    forget_scope(user)
    audit.record(
        actor=acting_user,
        action="membership.grant",
        obj=membership,
        after={"user": user.username, "organisation": organisation.name, "role": role},
        region_path=organisation.region.path,
    )
    return membership


@transaction.atomic
def membership_revoke(*, acting_user, membership: Membership) -> Membership:
    """End a membership (kept, marked inactive, for the record)."""
    _require_admin(acting_user)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    forget_scope(membership.user)
    audit.record(
        actor=acting_user,
        action="membership.revoke",
        obj=membership,
        before={"is_active": True},
        after={"is_active": False},
        region_path=membership.organisation.region.path,
    )
    return membership


@transaction.atomic
def account_set_active(*, acting_user, user: User, active: bool) -> User:
    """Disable or re-enable an account; disabling also ends its sessions."""
    _require_admin(acting_user)
    before = {"is_active": user.is_active}
    user.is_active = active
    if not active:
        user.session_epoch += 1
    user.save(update_fields=["is_active", "session_epoch"])
    audit.record(
        actor=acting_user, action="account.set_active", obj=user, before=before, after={"is_active": active}
    )
    return user


@transaction.atomic
def password_change(*, acting_user, user: User, new_password: str) -> User:
    """Set a new password the user chose (validated), clearing the first-login flag."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor=acting_user, action="account.password_change", obj=user)
    return user


@transaction.atomic
def password_reset_by_admin(*, acting_user, user: User, new_password: str) -> User:
    """An administrator sets a temporary password; the user must change it at next login."""
    _require_admin(acting_user)
    validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = True
    user.session_epoch += 1
    user.save(update_fields=["password", "must_change_password", "session_epoch"])
    audit.record(actor=acting_user, action="account.password_reset", obj=user)
    return user


@transaction.atomic
def logout_everywhere(*, acting_user, user: User) -> User:
    """End every session of `user` (other browsers and phones included)."""
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    audit.record(actor=acting_user, action="account.logout_everywhere", obj=user)
    return user


@transaction.atomic
def lockout_clear(*, acting_user, username: str, ip: str) -> int:
    """Lift a login lock (安全管理员): a user name from an address, or (username "") every
    failure counted against the address. Returns how many failure records were removed."""
    from axes.utils import reset

    if not scope_of(acting_user).has(Cap.SECURITY_MANAGE):
        raise PermissionDenied("您没有解除登录锁定的权限。")
    if not (username or ip):  # both empty would clear every record of every account
        raise ValidationError("请指定要解除锁定的账号或地址。")
    removed = reset(ip=ip or None, username=username or None)
    audit.record(
        actor=acting_user,
        action="account.unlock",
        object_repr=f"{username or '（全部账号）'} @ {ip or '—'}",
        after={"username": username, "ip": ip, "removed": removed},
    )
    return removed


# --- Two-factor authentication (accounts.twofactor) --------------------------------------------


@transaction.atomic
def twofactor_enrol(*, acting_user, device, token: str) -> list[str] | None:
    """Confirm `device` with a code from the user's app; on success it replaces any earlier device
    and ten new recovery codes are made (returned once, to be shown once). None: wrong code."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from huxiao.accounts.twofactor import RECOVERY_CODES, RECOVERY_NAME

    if device.user_id != acting_user.pk or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=acting_user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=acting_user).delete()
    recovery = StaticDevice.objects.create(user=acting_user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=code) for code in codes])
    audit.record(actor=acting_user, action="account.2fa_enrol", obj=acting_user)
    return codes


@transaction.atomic
def twofactor_check(*, user, token: str):
    """The device that accepts `token` — the authenticator app, or a recovery code (used up) — or
    None. A recovery code's use is audited (the phone may be lost)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    token = "".join(token.split())
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if token.isdigit() and device.verify_token(token):
            return device
    for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(token.lower()):
            audit.record(
                actor=user, action="account.2fa_recovery", obj=user, after={"left": device.token_set.count()}
            )
            return device
    return None


@transaction.atomic
def twofactor_reset(*, acting_user, user: User) -> None:
    """A lost phone (安全管理员): remove the user's devices and end their sessions; they enrol
    again at their next login."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not scope_of(acting_user).has(Cap.SECURITY_MANAGE):
        raise PermissionDenied("您没有重置双因素认证的权限。")
    if acting_user.pk == user.pk:
        raise ValidationError("不能重置自己的双因素认证，请由另一位安全管理员办理。")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.session_epoch += 1
    user.save(update_fields=["session_epoch"])
    audit.record(actor=acting_user, action="account.2fa_reset", obj=user)
