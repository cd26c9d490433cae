"""Encryption at rest of the sensitive registers (DESIGN §4.7; PIPL arts. 28, 51; 等保 level 3).

Personal fields are stored as Fernet tokens (`cryptography`'s MultiFernet: AES-128-CBC with an
HMAC, the key list from the environment — the first key encrypts, every key decrypts, so keys can
be rotated with `manage.py rotate_register_keys`). Searching by name or 身份证号 goes through a keyed
hash of the normalised value (a blind index), never by decrypting the table.

A token no configured key opens — a lost or wrong key — raises `SensitiveDataUnavailable` with a
Chinese message the pages show; it is never read as garbage.

Every sensitive register uses this one module (people: key persons and disputes; staff: the
background checks) and the `Encrypted` mixin in `core.models`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import unicodedata
from functools import cache, partial
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

UNAVAILABLE = "敏感信息无法解密：加密密钥缺失或与数据不匹配。请联系系统管理员检查密钥配置，不要重新录入数据。"


class SensitiveDataUnavailable(Exception):
    """The encrypted registers cannot be read with the configured keys."""

    def __init__(self, message: str = UNAVAILABLE):
        super().__init__(message)
        self.message = message


def _dev_keys() -> tuple[list[str], str]:
    """DEBUG only: a key pair kept beside the SQLite file, made on first use, so a developer's
    demo database stays readable across restarts."""
    path = Path(settings.DATA_DIR) / "people-dev.keys"
    if not path.exists():
        path.write_text(f"{Fernet.generate_key().decode()}\n{Fernet.generate_key().decode()}\n")
        path.chmod(0o600)
    fernet_key, index_key = path.read_text().split()
    return [fernet_key], index_key


def configured() -> bool:
    return bool(settings.HUXIAO_PEOPLE_KEYS and settings.HUXIAO_PEOPLE_INDEX_KEY)


@cache
def _keys(fernet_keys: tuple[str, ...], index_key: str) -> tuple[MultiFernet, bytes]:
    try:
        fernet = MultiFernet([Fernet(k.strip().encode()) for k in fernet_keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "HUXIAO_PEOPLE_KEYS 中有无效的密钥（每个须为 Fernet 密钥：32 字节的 URL 安全 Base64）。"
        ) from exc
    return fernet, index_key.encode()


def keys() -> tuple[MultiFernet, bytes]:
    """The MultiFernet and the blind-index key in force."""
    if configured():
        return _keys(tuple(settings.HUXIAO_PEOPLE_KEYS), settings.HUXIAO_PEOPLE_INDEX_KEY)
    if settings.DEBUG:
        fernet_keys, index_key = _dev_keys()
        return _keys(tuple(fernet_keys), index_key)
    raise SensitiveDataUnavailable(
        "未配置敏感信息加密密钥（HUXIAO_PEOPLE_KEYS、HUXIAO_PEOPLE_INDEX_KEY），重点人员、矛盾纠纷和人员审查登记不可用。"
    )


def encrypt(text: str) -> str:
    """The token of `text` ("" stays "": an empty field needs no secret)."""
    if not text:
        return ""
    return keys()[0].encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return keys()[0].decrypt(token.encode()).decode()
    except InvalidToken as exc:
        logger.error("a register token no configured key opens: check HUXIAO_PEOPLE_KEYS")
        raise SensitiveDataUnavailable() from exc


def encrypt_bytes(data: bytes) -> bytes:
    return keys()[0].encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return keys()[0].decrypt(token)
    except InvalidToken as exc:
        raise SensitiveDataUnavailable() from exc


def rotate(token: str) -> str:
    """The token re-encrypted with the first key (MultiFernet.rotate); "" stays ""."""
    if not token:
        return ""
    try:
        return keys()[0].rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise SensitiveDataUnavailable() from exc


def normalise(value: str) -> str:
    """What the blind index hashes: NFKC, no spaces, upper-case (身份证 X), so 张 三 = 张三."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def blind_index(value: str, purpose: str) -> str:
    """A keyed hash of the normalised value for exact search (`purpose` separates the name and
    the 身份证号 indexes); "" for an empty value."""
    text = normalise(value)
    if not text:
        return ""
    return hmac.new(keys()[1], f"{purpose}:{text}".encode(), hashlib.sha256).hexdigest()


def rotate_registers() -> dict[str, int]:
    """Re-encrypt every token of every sensitive register with the first configured key (after a
    new key was put first): each model using `core.models.Encrypted`, each of its `*_enc` text
    fields, and each `*_enc` file (photos, scanned documents) rewritten. One transaction; rows
    locked while they are rewritten. The number of rows per register, by its Chinese name."""
    from django.apps import apps
    from django.core.files.base import ContentFile
    from django.db import models, transaction

    from huxiao.core.models import Encrypted

    counts: dict[str, int] = {}
    with transaction.atomic():
        for model in apps.get_models():
            if not issubclass(model, Encrypted):
                continue
            fields = [f for f in model._meta.concrete_fields if f.name.endswith("_enc")]
            texts = [f.name for f in fields if not isinstance(f, models.FileField)]
            files = [f.name for f in fields if isinstance(f, models.FileField)]
            n = 0
            for row in model._default_manager.select_for_update().only("pk", *texts, *files):
                model._default_manager.filter(pk=row.pk).update(**{f: rotate(getattr(row, f)) for f in texts})
                for name in files:
                    stored = getattr(row, name)
                    if not stored:
                        continue
                    with stored.open("rb") as fh:
                        data = decrypt_bytes(fh.read())
                    old_name, storage = stored.name, stored.storage
                    # the new file first, then the row, then the old file: a crash leaves a file
                    # too many, never a record without its file
                    stored.save(old_name.rsplit("/", 1)[-1], ContentFile(encrypt_bytes(data)), save=False)
                    model._default_manager.filter(pk=row.pk).update(**{name: stored.name})
                    transaction.on_commit(partial(storage.delete, old_name))
                n += 1
            counts[str(model._meta.verbose_name)] = n
    return counts
