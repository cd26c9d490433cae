"""Replacing and restoring the Word templates: one transaction, one audit event each."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from huxiao.accounts.roles import Cap
from huxiao.accounts.scope import scope_of
from huxiao.core import audit
from huxiao.reports.documents import validate_template
from huxiao.reports.kinds import TYPES
from huxiao.reports.models import DocumentTemplate


def _require_admin(user) -> None:
    if not scope_of(user).has(Cap.ORG_MANAGE):
        raise PermissionDenied("只有系统管理员可以更换文书模板。")


@transaction.atomic
def template_replace(*, acting_user, kind: str, data: bytes, filename: str) -> DocumentTemplate:
    """Use the uploaded .docx for `kind` from now on (after checking it renders the sample)."""
    _require_admin(acting_user)
    if kind not in TYPES:
        raise ValidationError("未知的文书类型。")
    validate_template(data, kind)
    current = DocumentTemplate.objects.select_for_update().filter(kind=kind).first()
    before = {"file": current.file.name, "original_name": current.original_name} if current else None
    template = current or DocumentTemplate(kind=kind)
    template.file.save(f"{kind}.docx", ContentFile(data), save=False)
    template.original_name = filename[:200]
    template.uploaded_by = acting_user
    template.save()
    audit.record(
        actor=acting_user,
        action="document_template.replace",
        obj=template,
        before=before,
        after={
            "file": template.file.name,
            "original_name": template.original_name,
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    return template


@transaction.atomic
def template_reset(*, acting_user, kind: str) -> bool:
    """Go back to the built-in template for `kind`; False if none was uploaded. The uploaded
    file stays on disk (the audit event names it)."""
    _require_admin(acting_user)
    current = DocumentTemplate.objects.select_for_update().filter(kind=kind).first()
    if current is None:
        return False
    audit.record(
        actor=acting_user,
        action="document_template.reset",
        obj=current,
        before={"file": current.file.name, "original_name": current.original_name},
        after=None,
    )
    current.delete()
    return True
