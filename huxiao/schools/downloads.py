"""Builds the register download response (a spooled temp file streamed back)."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone

from huxiao.core import audit
from huxiao.schools.exports import write_register


def register_download(user, schools) -> FileResponse:
    """Stream the register as an attachment and record who exported how many rows."""
    today = timezone.localdate()
    unit = "、".join(
        sorted({m.organisation.name for m in user.memberships.active().select_related("organisation")})
    )
    tmp = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (closed by FileResponse)
    rows = write_register(schools, tmp, unit=unit or str(user), today=today)
    audit.record_export(actor=user, action="school.export", rows=rows, object_repr=f"学校名录导出 {rows} 条")
    tmp.seek(0)
    filename = f"学校名录_{today:%Y%m%d}.xlsx"
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
