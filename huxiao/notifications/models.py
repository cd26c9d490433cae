"""The in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """One message in a user's inbox, with a link to what it is about."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField("类型", max_length=20)  # a kind an app registered (notifications.kinds)
    title = models.CharField("标题", max_length=200)
    url = models.CharField("链接", max_length=200, blank=True)
    dedupe_key = models.CharField("去重键", max_length=100, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "消息"
        verbose_name_plural = "消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"], condition=~models.Q(dedupe_key=""), name="notification_dedupe"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        from huxiao.notifications.kinds import KINDS

        return KINDS.label(self.kind)
