"""Login lockout, on django-axes' own records (`axes.models.AccessAttempt`).

Two limits (GB/T 22239-2019 level 3, 8.1.4.1 b: 登录失败处理):

- **an account from one address**: 5 failures of one user name from one client address lock that
  pair for 15 minutes (axes, `AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`). Someone
  typing another user's name elsewhere cannot lock that user out of their own office;
- **one address, whatever the names**: `LOGIN_IP_FAILURE_LIMIT` failures from one address in the
  same 15 minutes lock the address (`LoginView` asks `address_locked` before checking a password),
  so guessing across many accounts from one machine is stopped too. The limit is higher than the
  account's: a 派出所 or a school often reaches the platform through one address.

A nonexistent user name is counted and locked like a real one, so the lock page says nothing about
whether an account exists. The 安全管理员 sees the current locks and lifts one
(`accounts.services.lockout_clear`, audited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def _since() -> dt.datetime:
    return timezone.now() - settings.AXES_COOLOFF_TIME


def address_failures(ip: str | None) -> int:
    """Failed logins from `ip` within the cool-off window, whatever the user names."""
    if not ip:
        return 0
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=_since()).aggregate(
        n=Sum("failures_since_start")
    )["n"]
    return total or 0


def address_locked(request) -> bool:
    return address_failures(get_client_ip_address(request)) >= settings.LOGIN_IP_FAILURE_LIMIT


@dataclass(frozen=True)
class Lock:
    """One lock in force: a user name from an address, or (username "") a whole address."""

    username: str
    ip: str
    failures: int
    until: dt.datetime

    @property
    def whole_address(self) -> bool:
        return not self.username


def locks_in_force() -> list[Lock]:
    """Every lock in force now, newest first: account-and-address pairs at the account limit,
    then addresses at the address limit."""
    since, cooloff = _since(), settings.AXES_COOLOFF_TIME
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    locks = [
        Lock(a.username or "", a.ip_address or "", a.failures_since_start, a.attempt_time + cooloff)
        for a in recent.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
            "-attempt_time"
        )
    ]
    by_address = (
        recent.exclude(ip_address=None)
        .values("ip_address")
        .annotate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(n__gte=settings.LOGIN_IP_FAILURE_LIMIT)
        .order_by("-last")
    )
    locks += [Lock("", row["ip_address"], row["n"], row["last"] + cooloff) for row in by_address]
    return locks
