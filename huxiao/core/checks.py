"""Production refuses what only the demo may use. Each app registers its own check with the tag
`PRODUCTION` (and `deploy=True`, so `manage.py check --deploy` lists them too); the WSGI/ASGI
entry points call `refuse_unsafe_start()`, so gunicorn's workers do not boot — saying in Chinese
which setting to set — instead of serving on the key that is in the repository. `make run` (the
demo, HUXIAO_DEBUG=true) needs none of them."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PRODUCTION = "production"


@checks.register(PRODUCTION, deploy=True)
def secret_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DEBUG or settings.SECRET_KEY != settings.DEMO_SECRET_KEY:
        return []
    return [
        checks.Error(
            "未设置 HUXIAO_SECRET_KEY：正在使用代码库中公开的演示密钥，会话和签名可被伪造。",
            hint="python3 -c 'import secrets; print(secrets.token_urlsafe(50))'",
            id="core.E001",
        )
    ]


@checks.register(PRODUCTION, deploy=True)
def audit_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    from huxiao.core import audit

    if settings.DEBUG or audit.configured():
        return []
    return [checks.Error(audit.MISSING_KEY, hint=audit.KEY_HINT, id="core.E002")]


def refuse_unsafe_start() -> None:
    """Raise (the server does not start) when a production check fails (outside DEBUG)."""
    errors = [
        m
        for m in checks.run_checks(tags=[PRODUCTION], include_deployment_checks=True, databases=["default"])
        if m.is_serious()
    ]
    if errors:
        lines = "\n".join(f"- {e.msg} 生成方法：{e.hint}" if e.hint else f"- {e.msg}" for e in errors)
        raise ImproperlyConfigured(f"护校安园拒绝以生产方式启动（HUXIAO_DEBUG=false）：\n{lines}")
