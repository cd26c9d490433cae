"""Uploaded photos, checked by content (DESIGN §4.5): a real JPEG/PNG/WebP, within the size
limit, not a decompression bomb; plus a thumbnail."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 48-megapixel phone photo (8000×6000) passes; decompression bombs do not
# MPO is how Pillow names a JPEG carrying extra frames (many phone cameras write one).
ALLOWED_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
THUMB_SIZE = (480, 480)


@dataclass
class CheckedImage:
    content: ContentFile
    thumbnail: ContentFile
    sha256: str
    width: int
    height: int
    extension: str


def check_image(upload, *, field: str = "照片") -> CheckedImage:
    """Validate an uploaded file as a photo and build its thumbnail; ValidationError otherwise."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(f"{field}：文件超过 {MAX_BYTES // (1024 * 1024)} MB，请压缩后再上传。")
    data = upload.read()
    if len(data) > MAX_BYTES:
        raise ValidationError(f"{field}：文件超过 {MAX_BYTES // (1024 * 1024)} MB，请压缩后再上传。")
    if not data:
        raise ValidationError(f"{field}：文件为空。")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            width, height = probe.size
            if fmt not in ALLOWED_FORMATS:
                raise ValidationError(
                    f"{field}：只接受 JPG、PNG、WebP 格式的照片（此文件为 {fmt or '未知'} 格式）。"
                )
            if width * height > MAX_PIXELS:
                raise ValidationError(f"{field}：图片尺寸过大（{width}×{height}），请缩小后再上传。")
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            thumb = ImageOps.exif_transpose(img).convert("RGB")
            thumb.thumbnail(THUMB_SIZE)
            out = io.BytesIO()
            thumb.save(out, "JPEG", quality=80)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:  # Pillow refuses before we can read the size
        raise ValidationError(f"{field}：图片尺寸过大，请缩小后再上传。") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(f"{field}：文件不是有效的图片，或已损坏。") from exc
    digest = hashlib.sha256(data).hexdigest()
    ext = ALLOWED_FORMATS[fmt]
    return CheckedImage(
        content=ContentFile(data, name=f"{digest[:16]}.{ext}"),
        thumbnail=ContentFile(out.getvalue(), name=f"{digest[:16]}_thumb.jpg"),
        sha256=digest,
        width=width,
        height=height,
        extension=ext,
    )
