"""Pieces for the sample contexts the apps register with their document types (reports.kinds):
a sample photo and chart, a blank line to sign on, the legal basis most documents cite.

An uploaded replacement template is rendered with its sample before it is accepted, and the
template page lists the sample's field names for whoever edits a template in Word.
"""

from __future__ import annotations

import io
from functools import cache

from PIL import Image, ImageDraw

BLANK = "________________"
LEGAL_BASIS = "《中华人民共和国未成年人保护法》《企业事业单位内部治安保卫条例》《中小学幼儿园安全管理办法》"


@cache
def sample_photo(colour: tuple[int, int, int]) -> bytes:
    img = Image.new("RGB", (160, 120), (225, 225, 220))
    ImageDraw.Draw(img).rectangle((40, 30, 120, 100), fill=colour)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=80)
    return out.getvalue()


@cache
def sample_chart() -> bytes:
    img = Image.new("RGB", (700, 380), "white")
    draw = ImageDraw.Draw(img)
    for i, height in enumerate((220, 90, 150, 60)):
        draw.rectangle((80 + i * 150, 330 - height, 130 + i * 150, 330), fill=(29, 79, 145))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()
