"""Files as a browser sends them: small real images, uploads, and a throw-away media folder
(the `media_root` fixture, registered in the root conftest)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

# --- Photos ---------------------------------------------------------------------------------


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color=(200, 60, 40)) -> bytes:
    """A small real image in `fmt` (JPEG, PNG, WEBP, GIF …)."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    return image_bytes("JPEG", size)


def png_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    return image_bytes("PNG", size)


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    """`data` as the browser would send it (a fresh file object: a read upload is spent)."""
    return SimpleUploadedFile(name, data, content_type=content_type)


def photo(name: str = "after.jpg", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """A valid JPEG upload."""
    return upload(jpeg_bytes(size), name)
