"""Core models: the administrative-division tree, organisations, the audit chain, jobs, and the
abstract stored photo and stored file the apps' uploads inherit."""

from __future__ import annotations

import posixpath
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from huxiao.core import crypto
from huxiao.core.choices import OrgKind, RegionLevel
from huxiao.core.querysets import OrganisationQuerySet, RegionQuerySet


class Region(models.Model):
    """A node of the 行政区划 tree (省/市/区县/街道乡镇/社区村).

    `code` is the official division code where known (`code_official`); `path` is the chain of
    codes from the root (`500000/500151/500151004/`) so a subtree is one `startswith` filter.
    """

    code = models.CharField("区划代码", max_length=12, unique=True)
    code_official = models.BooleanField("代码为官方代码", default=True)
    name = models.CharField("名称", max_length=50)
    level = models.CharField("层级", max_length=10, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField("路径", max_length=200, unique=True, editable=False)
    is_archived = models.BooleanField("已归档", default=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        verbose_name_plural = "行政区划"
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[0-9]{6,12}$"),
                name="region_code_digits",
                violation_error_message="区划代码须为6至12位数字。",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def compute_path(self) -> str:
        """The path this region should have from its parent (used by the region services)."""
        return f"{self.parent.path if self.parent else ''}{self.code}/"

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @property
    def indent(self) -> range:
        """For templates: one step per level below the root (the tree is drawn without inline styles)."""
        return range(self.depth - 2)


class Organisation(models.Model):
    """A unit (单位) that people work for: 街道办事处, 派出所, 学区管理中心, a school, a bureau …

    Its jurisdiction is the union of `jurisdiction_regions` (every school in those subtrees)
    and the schools that name it explicitly (police station, 学区, or the school's own unit;
    see `schools.querysets`).
    """

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=20, blank=True, help_text="用于文书编号，如“蒲吕派”")
    kind = models.CharField("单位类型", max_length=30, choices=OrgKind.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    jurisdiction_regions = models.ManyToManyField(
        Region, verbose_name="管辖区划", blank=True, related_name="jurisdiction_of"
    )
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_archived = models.BooleanField("已归档", default=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["region__path", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One append-only, hash-chained record of a write (DESIGN §4.3).

    `hash = HMAC-SHA256(key[key_id], prev_hash + canonical(payload))` with a key held outside the
    database (`HUXIAO_AUDIT_KEYS`); `seq` is gapless, so an edited row breaks its own hash, a
    deleted row leaves a gap or a broken link, and rewriting the chain needs the key. See
    `core.audit`.
    """

    seq = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT
    )
    actor_label = models.CharField("操作人名称", max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name="操作单位", null=True, blank=True, on_delete=models.PROTECT
    )
    action = models.CharField("操作", max_length=60, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=40, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    region_path = models.CharField("对象所在区划路径", max_length=200, blank=True, db_index=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64)
    hash = models.CharField("哈希", max_length=64, unique=True)
    key_id = models.CharField("密钥编号", max_length=20, blank=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("审计事件只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("审计事件只能追加，不能删除。")

    @property
    def action_label(self) -> str:
        """The action in Chinese, as its app registered it (the code itself if none did)."""
        from huxiao.core.audit import ACTIONS

        return ACTIONS.label(self.action)


class AuditHead(models.Model):
    """The single row that holds the chain's tip; locked while appending so the chain stays linear."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"

    def __str__(self) -> str:
        return f"#{self.last_seq}"


class Job(models.Model):
    """A long piece of work (an import, a big export) that runs outside the request and reports
    progress the page can poll."""

    class State(models.TextChoices):
        PENDING = "pending", "排队中"
        RUNNING = "running", "处理中"
        SUCCEEDED = "succeeded", "已完成"
        FAILED = "failed", "未通过"

    kind = models.CharField("类型", max_length=40)
    state = models.CharField("状态", max_length=12, choices=State.choices, default=State.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人", on_delete=models.PROTECT)
    organisation = models.ForeignKey(Organisation, verbose_name="单位", null=True, on_delete=models.PROTECT)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    total = models.PositiveIntegerField("总数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    params = models.JSONField("参数", default=dict)
    result = models.JSONField("结果", default=dict)
    input_file = models.FileField("上传文件", upload_to="jobs/%Y/%m/", blank=True)
    # What the job produced for download (a big export); removed after jobs.OUTPUT_KEEP_DAYS.
    output_file = models.FileField("生成文件", upload_to="jobs/%Y/%m/", blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else (100 if self.state == "succeeded" else 0)

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.SUCCEEDED, self.State.FAILED)


# --- Stored uploads ------------------------------------------------------------------------------
# Each app keeps its own upload folder: the concrete model names it in `UPLOAD_DIR`, and these
# callables (module-level, so migrations can name them) build the path from it.


def _dated(folder: str, filename: str) -> str:
    """`<folder>/%Y/%m/<filename>`, the layout a string `upload_to="<folder>/%Y/%m/"` gives."""
    return posixpath.join(timezone.localtime().strftime(f"{folder}/%Y/%m/"), filename)


def stored_photo_path(instance: StoredPhoto, filename: str) -> str:
    """`<UPLOAD_DIR>/%Y/%m/<filename>`, e.g. `hazards/2026/03/…`."""
    return _dated(instance.UPLOAD_DIR, filename)


def stored_thumbnail_path(instance: StoredPhoto, filename: str) -> str:
    """`<UPLOAD_DIR>/thumbs/%Y/%m/<filename>`, e.g. `hazards/thumbs/2026/03/…`."""
    return _dated(f"{instance.UPLOAD_DIR}/thumbs", filename)


def stored_file_path(instance: StoredFile, filename: str) -> str:
    """`<UPLOAD_DIR>/<filename>`, e.g. `campaigns/taskattachment/…`."""
    return f"{instance.UPLOAD_DIR}/{filename}"


class Submitted(models.Model):
    """A record created from a form that may be sent twice (a double click on a slow phone, a
    resent request): the form carries a one-time `submission` token and `core.versions.once`
    returns the record the first request created. Subclasses add `submitted_once(prefix)` to
    their constraints so two racing requests cannot both insert."""

    submission = models.CharField("提交标识", max_length=36, blank=True, editable=False)

    class Meta:
        abstract = True


def submitted_once(prefix: str) -> models.UniqueConstraint:
    """The constraint of a `Submitted` model: one record per (non-blank) submission token."""
    return models.UniqueConstraint(
        fields=["submission"],
        condition=~models.Q(submission=""),
        name=f"{prefix}_submitted_once",
        violation_error_message="该表单已提交。",
    )


class Versioned(models.Model):
    """A record two people may edit at once: every save through a service bumps `version`, and a
    form that started from an older one is refused (`core.versions.locked`)."""

    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        abstract = True


class StoredPhoto(models.Model):
    """A photo checked by content (`core.images.check_image`), stored with its JPEG thumbnail,
    SHA-256 and pixel size. It has no public URL: a view checks the user's scope through its
    `access_*` function, then serves it with `core.files.serve_photo`. A concrete model names its
    upload folder in `UPLOAD_DIR`."""

    UPLOAD_DIR: ClassVar[str]

    image = models.ImageField("照片", upload_to=stored_photo_path)
    thumbnail = models.ImageField("缩略图", upload_to=stored_thumbnail_path)
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """An uploaded document or photo checked by content, kept under its original name (`name`)
    with its kind (pdf, docx, xlsx, jpg, png, webp), size and SHA-256. Served like a photo: scope
    checked by the view, then `core.files.serve_stored`. A concrete model names its upload folder
    in `UPLOAD_DIR`."""

    UPLOAD_DIR: ClassVar[str]

    file = models.FileField("文件", upload_to=stored_file_path)
    name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=10)  # pdf, docx, xlsx, jpg, png, webp
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Encrypted:
    """Mixin: `plain(field)` decrypts `<field>_enc`; `set_plain(field, text)` encrypts it."""

    def plain(self, field: str) -> str:
        return crypto.decrypt(getattr(self, f"{field}_enc"))

    def set_plain(self, field: str, text: str) -> None:
        setattr(self, f"{field}_enc", crypto.encrypt((text or "").strip()))
