"""Outside DEBUG the platform does not start without the registers' keys: a production check
(core.checks — the WSGI/ASGI entry points refuse to boot, saying why; `manage.py check --deploy`
reports it)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

from huxiao.core.checks import PRODUCTION

MISSING = (
    "未配置敏感信息加密密钥：请设置 HUXIAO_PEOPLE_KEYS（Fernet 密钥，逗号分隔，第一个用于加密）"
    "和 HUXIAO_PEOPLE_INDEX_KEY（检索用密钥，至少32个字符）。"
)
HINT = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def missing_keys() -> bool:
    from huxiao.core import crypto

    return not settings.DEBUG and not crypto.configured()


@checks.register(PRODUCTION, deploy=True)
def keys_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [checks.Error(MISSING, hint=HINT, id="people.E001")] if missing_keys() else []
