"""Attachments of tasks and circulars, checked by content (DESIGN §4.5): a PDF, a Word .docx, an
Excel .xlsx, or a photo (through `core.images.check_image`); within the size limit; the file
name's extension must agree with the content. Every file of a form is checked before any is
stored, so a bad one leaves nothing behind."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from huxiao.core.images import check_image

MAX_BYTES = 20 * 1024 * 1024
MAX_FILES = 10
MAX_UNZIPPED = 100 * 1024 * 1024  # a zip bomb dressed as .docx stops here
DOCUMENT_KINDS = {"pdf": "PDF", "docx": "Word（.docx）", "xlsx": "Excel（.xlsx）"}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp"}
ALLOWED_TEXT = "PDF、Word（.docx）、Excel（.xlsx）或 JPG/PNG/WebP 图片"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}


@dataclass
class CheckedFile:
    content: ContentFile
    name: str
    kind: str
    size: int
    sha256: str


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _ooxml_kind(data: bytes) -> str | None:
    """'docx' or 'xlsx' if `data` is an Office Open XML package of that kind."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if sum(i.file_size for i in zf.infolist()) > MAX_UNZIPPED:
                return None
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def check_attachment(upload, *, field: str = "附件") -> CheckedFile:
    """Validate one upload; a Chinese ValidationError naming the field and the rule otherwise."""
    name = (getattr(upload, "name", "") or "附件").rsplit("/", 1)[-1][:150]
    ext = _extension(name)
    if ext in IMAGE_EXTENSIONS:
        image = check_image(upload, field=f"{field}（{name}）")
        return CheckedFile(
            content=image.content,
            name=name,
            kind=image.extension,
            size=image.content.size,
            sha256=image.sha256,
        )
    if ext not in DOCUMENT_KINDS:
        raise ValidationError(f"{field}（{name}）：只接受 {ALLOWED_TEXT}，不接受“.{ext or '无扩展名'}”文件。")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(f"{field}（{name}）：文件超过 {MAX_BYTES // (1024 * 1024)} MB。")
    data = upload.read()
    if not data:
        raise ValidationError(f"{field}（{name}）：文件为空。")
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{field}（{name}）：文件超过 {MAX_BYTES // (1024 * 1024)} MB。")
    actual = "pdf" if data.startswith(b"%PDF-") else _ooxml_kind(data)
    if actual != ext:
        raise ValidationError(
            f"{field}（{name}）：文件内容不是有效的 {DOCUMENT_KINDS[ext]} 文件（扩展名与内容不符或文件已损坏）。"
        )
    digest = hashlib.sha256(data).hexdigest()
    return CheckedFile(
        content=ContentFile(data, name=f"{digest[:16]}.{ext}"),
        name=name,
        kind=ext,
        size=len(data),
        sha256=digest,
    )


def check_attachments(uploads, *, field: str = "附件") -> list[CheckedFile]:
    """Check every upload (at most MAX_FILES) before any is stored."""
    uploads = [u for u in (uploads or []) if u]
    if len(uploads) > MAX_FILES:
        raise ValidationError(f"{field}：一次最多上传 {MAX_FILES} 个文件。")
    return [check_attachment(u, field=field) for u in uploads]
