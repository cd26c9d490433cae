"""Kinds of Word document the platform renders (DESIGN §7)."""

from django.db import models


class DocumentKind(models.TextChoices):
    NOTICE = "notice", "限期整改通知书"
    SUPERVISION = "supervision", "督办通知书"
    INTERVIEW = "interview", "约谈记录"
    LISTING = "listing", "挂牌督办通知"
    DOSSIER = "dossier", "隐患整改档案"
    CAMPAIGN_SUMMARY = "campaign_summary", "专项行动工作总结"
