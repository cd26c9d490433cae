"""QR codes of posts as SVG (segno: pure Python, no image library, prints sharp at any size)."""

from __future__ import annotations

import segno


def qr_svg(url: str, *, scale: int = 6) -> str:
    """An SVG document of the QR code for `url` (error correction M, quiet zone of 4 modules)."""
    return segno.make(url, error="m", micro=False).svg_inline(
        scale=scale, dark="#000", light="#fff", omitsize=False, title="护学岗签到二维码"
    )
