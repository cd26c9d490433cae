"""Administrator-replaced Word templates (DESIGN §7). Without a row, the built-in template in
`docx_templates/` is used."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DocumentTemplate(models.Model):
    """The uploaded replacement of one kind's built-in Word template (one per kind)."""

    kind = models.CharField("文书类型", max_length=20, unique=True)  # a registered code (reports.kinds)
    file = models.FileField("模板文件", upload_to="reports/templates/%Y/")
    original_name = models.CharField("上传文件名", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now=True)

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind_label}模板"

    @property
    def kind_label(self) -> str:
        from huxiao.reports.kinds import TYPES

        return TYPES.label(self.kind)
