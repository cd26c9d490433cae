"""Failed logins go into the audit log (GB/T 22239 8.1.4.3). Django announces them only through
its `user_login_failed` signal (sent by `authenticate()` for every login path), so this handler
records and decides nothing. Successful logins and logouts are recorded by the views."""

from __future__ import annotations

from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.dispatch import receiver

from huxiao.core import audit


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    with transaction.atomic():
        audit.record(
            actor=None,
            action="account.login_failed",
            after={"username": username},
            object_repr=f"登录失败：{username}",
        )
