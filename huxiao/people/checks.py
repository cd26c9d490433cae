"""Outside DEBUG the platform does not start without the registers' keys: the WSGI/ASGI entry
points call `require_keys()` (gunicorn's workers then refuse to boot, saying why), and
`manage.py check --deploy` reports it."""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING = (
    "未配置敏感信息加密密钥：请设置 HUXIAO_PEOPLE_KEYS（Fernet 密钥，逗号分隔，第一个用于加密）"
    "和 HUXIAO_PEOPLE_INDEX_KEY（检索用密钥，至少32个字符）。"
)
HINT = 'python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'


def missing_keys() -> bool:
    from huxiao.people import crypto

    return not settings.DEBUG and not crypto.configured()


def require_keys() -> None:
    """Refuse to serve without the keys (outside DEBUG)."""
    if missing_keys():
        raise ImproperlyConfigured(f"{MISSING} 生成密钥：{HINT}")


@checks.register("people", deploy=True)
def keys_configured(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    return [checks.Error(MISSING, hint=HINT, id="people.E001")] if missing_keys() else []
