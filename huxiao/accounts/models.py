"""Accounts: the user (custom from the first migration) and memberships (user × unit × role)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac

from huxiao.accounts.roles import ROLES, Role, RoleCode
from huxiao.core.models import Organisation


class User(AbstractUser):
    """A person who logs in. Names are Chinese full names in `full_name` (one field, not two).

    `session_epoch` is mixed into the session hash: raising it logs the user out everywhere.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)
    must_change_password = models.BooleanField("首次登录须修改密码", default=False)
    session_epoch = models.PositiveIntegerField("会话代次", default=0)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def _get_session_auth_hash(self, secret=None):
        # Same as Django's, plus the epoch: "log out everywhere" bumps it and every other
        # session's stored hash stops matching, so Django flushes those sessions.
        key_salt = "huxiao.accounts.User.session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, organisation__is_archived=False)


class Membership(models.Model):
    """A user's role in one organisation. A person may hold several (e.g. 民警 and 法治辅导员)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=RoleCode.choices)
    title = models.CharField("职务", max_length=50, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "任职"
        verbose_name_plural = "任职"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                name="membership_unique_role",
                violation_error_message="该用户在此单位已有相同角色。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def role_def(self) -> Role:
        return ROLES[self.role]
