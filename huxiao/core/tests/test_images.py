"""Uploaded photos are checked by content (DESIGN §4.5): only real JPEG/PNG/WebP within 10 MB
and a sane pixel count pass, each refusal in Chinese naming the field; a good photo gets its
SHA-256 and a thumbnail no larger than 480 px."""

import hashlib
import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from huxiao.core.images import MAX_BYTES, check_image


def image(fmt="JPEG", size=(64, 48), mode="RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode != "1" else 1).save(out, fmt, **save)
    return out.getvalue()


def noisy_png(size=(300, 200)) -> bytes:
    """A PNG that does not compress away (so cutting it really truncates pixel data)."""
    out = io.BytesIO()
    Image.frombytes("RGB", size, bytes((i * 7919) % 251 for i in range(size[0] * size[1] * 3))).save(
        out, "PNG"
    )
    return out.getvalue()


def upload(data: bytes, name="photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def png_claiming(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header (IHDR) claims `width`×`height`, with a correct CRC."""
    data = bytearray(image("PNG", (1, 1)))
    # signature (8) + length (4) + b"IHDR" (4) → width, height at 16..24; CRC over type+data at 29..33
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def refusal(data: bytes, name="photo.jpg", field="照片") -> str:
    with pytest.raises(ValidationError) as caught:
        check_image(upload(data, name), field=field)
    (message,) = caught.value.messages
    assert message.startswith(f"{field}：")
    return message


def test_a_text_file_renamed_jpg_is_refused():
    assert "不是有效的图片" in refusal("这不是照片，是一段文字。".encode() * 20)


def test_a_truncated_png_is_refused():
    data = noisy_png()
    assert "不是有效的图片" in refusal(data[: len(data) // 2], "cut.png")


def test_a_gif_is_refused_by_content_whatever_its_name():
    message = refusal(image("GIF"), "looks-like.jpg")
    assert "只接受 JPG、PNG、WebP" in message and "GIF" in message


def test_an_oversize_file_is_refused_before_it_is_read():
    data = image("JPEG") + b"\0" * (MAX_BYTES + 1)
    assert "超过 10 MB" in refusal(data)


def test_an_empty_file_is_refused():
    assert "文件为空" in refusal(b"")


def test_a_png_header_claiming_20000_by_20000_pixels_is_refused():
    bomb = png_claiming(20000, 20000)
    assert len(bomb) < 100
    assert "尺寸过大" in refusal(bomb, "bomb.png")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_a_one_bit_png_of_10000_by_10000_pixels_is_refused():
    bomb = image("PNG", (10000, 10000), mode="1")
    assert len(bomb) < 200_000  # small on disk, 100 megapixels in memory
    assert "尺寸过大（10000×10000）" in refusal(bomb, "bomb.png")


def test_the_message_names_the_field():
    assert refusal(b"not an image", field="第2张照片").startswith("第2张照片：")


def test_a_good_jpeg_gets_its_digest_and_a_small_thumbnail():
    data = image("JPEG", (1600, 1200))
    checked = check_image(upload(data))
    assert checked.sha256 == hashlib.sha256(data).hexdigest()
    assert (checked.width, checked.height, checked.extension) == (1600, 1200, "jpg")
    assert checked.content.read() == data
    thumb = Image.open(io.BytesIO(checked.thumbnail.read()))
    assert thumb.format == "JPEG"
    assert max(thumb.size) <= 480
    assert thumb.size == (480, 360)


@pytest.mark.parametrize(
    ("fmt", "mode", "ext"), [("PNG", "RGBA", "png"), ("WEBP", "RGB", "webp"), ("PNG", "P", "png")]
)
def test_png_and_webp_are_accepted_and_thumbnailed_as_jpeg(fmt, mode, ext):
    checked = check_image(upload(image(fmt, (900, 300), mode=mode), f"photo.{ext}"))
    assert checked.extension == ext
    thumb = Image.open(io.BytesIO(checked.thumbnail.read()))
    assert (thumb.format, thumb.size) == ("JPEG", (480, 160))


def test_a_phone_jpeg_with_extra_frames_is_accepted():
    """Pillow calls a JPEG with a Multi-Picture segment (common on phones) "MPO"."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "blue").save(
        out, "MPO", save_all=True, append_images=[Image.new("RGB", (160, 120), "red")]
    )
    assert Image.open(io.BytesIO(out.getvalue())).format == "MPO"
    checked = check_image(upload(out.getvalue()))
    assert (checked.extension, checked.width, checked.height) == ("jpg", 640, 480)


def test_the_thumbnail_follows_the_cameras_orientation():
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    checked = check_image(upload(image("JPEG", (600, 300), exif=exif.tobytes())))
    assert Image.open(io.BytesIO(checked.thumbnail.read())).size == (240, 480)
