"""Production refuses the demo's accounts (their password is printed in the README): a production
check (`core.checks`: the WSGI/ASGI entry points refuse to boot; `check --deploy` lists it)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from huxiao.core.checks import PRODUCTION


@checks.register(PRODUCTION, deploy=True)
def demo_accounts(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """The demo's accounts share a password printed in the README: never in production."""
    if settings.DEBUG or not databases:
        return []
    from django.db import DatabaseError

    from huxiao.accounts.models import User  # models are not ready when this module is imported

    try:
        names = list(User.objects.filter(is_demo=True, is_active=True).values_list("username", flat=True)[:5])
    except DatabaseError:  # not migrated yet: nothing to refuse
        return []
    if not names:
        return []
    return [
        checks.Error(
            f"数据库中有启用的演示账号（{'、'.join(names)}等），其密码公开在说明文档中。",
            hint="生产环境不要加载演示数据；已加载的，请新建数据库或停用所有演示账号。",
            id="accounts.E001",
        )
    ]
