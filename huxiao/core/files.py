"""Serving stored uploads (photos, documents). There is no public /media/ URL: a view first gets
the object through its app's `access_*` function — which answers 404 or 403 out of scope — and
only then hands the stored file to `serve_stored` (or a photo to `serve_photo`).

A file missing from storage (deleted by hand, a failed restore) answers 404 with a message the
page shows — the user is already in scope, so it betrays nothing — never a 500."""

from __future__ import annotations

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

from huxiao.core.errors import ShownNotFound
from huxiao.core.models import StoredPhoto

MISSING = "文件缺失，请联系上传人重新上传。"

# The kinds uploads may have (`core.images`, `campaigns.files`); anything else is sent as an
# opaque download.
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
# Shown in the browser; everything else downloads.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}


def content_type_of(filename: str) -> str:
    """The content type for a file name's extension (`application/octet-stream` if unknown)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    return CONTENT_TYPES.get(extension, DEFAULT_CONTENT_TYPE)


def serve_stored(
    stored: FieldFile,
    *,
    filename: str | None = None,
    as_attachment: bool | None = None,
    content_type: str | None = None,
) -> FileResponse:
    """The stored file as a download, for a caller that has already checked the user's scope.

    `filename` defaults to the stored name's last part; the content type follows its extension;
    images and PDFs open in the browser, other files download (override with `as_attachment`).
    A file missing from storage (or an empty field) raises a 404 that says so."""
    name = filename or (stored.name or "").rsplit("/", 1)[-1]
    try:
        handle = stored.open("rb")
    except (OSError, ValueError) as exc:  # FileNotFoundError is an OSError; ValueError: empty field
        raise ShownNotFound(MISSING) from exc
    content_type = content_type or content_type_of(name)
    if as_attachment is None:
        as_attachment = content_type not in INLINE_TYPES
    return FileResponse(handle, filename=name, as_attachment=as_attachment, content_type=content_type)


def serve_photo(photo: StoredPhoto, size: str) -> FileResponse:
    """A stored photo (`full`) or its thumbnail (`thumb`), after the caller checked scope; any
    other size is 404."""
    if size == "full":
        return serve_stored(photo.image)
    if size == "thumb":
        return serve_stored(photo.thumbnail)
    raise Http404("没有这种尺寸。")
