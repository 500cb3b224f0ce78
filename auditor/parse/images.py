"""What a fetched image is, told by its bytes (magic numbers), and its size. Pure.

Servers label images badly (`application/octet-stream`, `text/html` on a CDN, a `.jpg` that
is a WebP, an HTML error page with status 200), so the banner check never trusts a
Content-Type or an extension: it reads the first bytes.
"""

from __future__ import annotations

import base64
import binascii
import html
import re
import struct
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

# formats Tesseract (through leptonica) reads
OCR_FORMATS = frozenset({"png", "jpeg", "gif", "webp", "tiff", "bmp"})
_JPEG_FRAMES = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}  # SOFn; not DHT, JPG, DAC


@dataclass(frozen=True)
class ImageInfo:
    format: str  # png, jpeg, gif, webp, bmp, tiff, svg, avif, heic, ico
    width: int = 0  # 0 when the header does not say
    height: int = 0


def sniff(data: bytes) -> ImageInfo | None:
    """The image format and size from the bytes; None when they are not an image."""
    head = data[:32]
    if head.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        return ImageInfo("png", *struct.unpack(">II", data[16:24]))
    if head[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return ImageInfo("gif", *struct.unpack("<HH", data[6:10]))
    if head.startswith(b"\xff\xd8\xff"):
        return ImageInfo("jpeg", *_jpeg_size(data))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return ImageInfo("webp", *_webp_size(data))
    if head[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        return ImageInfo("bmp", abs(width), abs(height))
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return ImageInfo("tiff")
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return ImageInfo("avif")
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1"):
        return ImageInfo("heic")
    if head[:4] == b"\x00\x00\x01\x00":
        return ImageInfo("ico")
    if _is_svg(data):
        return ImageInfo("svg")
    return None


def _jpeg_size(data: bytes) -> tuple[int, int]:
    """Walk the JPEG segments to the frame header, which holds the size."""
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return 0, 0
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2  # markers without a length
            continue
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return 0, 0


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        return width, int.from_bytes(data[27:30], "little") + 1
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        b = data[21:25]
        width = 1 + (b[0] | (b[1] & 0x3F) << 8)
        return width, 1 + (b[1] >> 6 | b[2] << 2 | (b[3] & 0x0F) << 10)
    return 0, 0


def _is_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<svg"):
        return True
    return head.startswith((b"<?xml", b"<!--", b"<!doctype svg")) and b"<svg" in head


def svg_text(data: bytes) -> str:
    """The words an SVG draws (its <text>, <title>…), read without an XML parser, so no
    entity of the file is ever expanded."""
    text = data.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(style|script)\b.*?</\1\s*>|<!\[CDATA\[.*?\]\]>|<!--.*?-->", " ", text)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def data_uri(uri: str, limit: int) -> bytes | None:
    """The bytes of a `data:` URI (base64 or percent-encoded), or None if larger than limit
    or malformed."""
    header, sep, payload = uri.partition(",")
    if not sep or len(payload) > limit * 4 // 3 + 4:
        return None
    try:
        if header.lower().endswith(";base64"):
            return base64.b64decode(re.sub(r"\s+", "", payload), validate=True)
        return unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return None


def describe(data: bytes) -> str:
    """A short, printable picture of bytes that are not an image, for the evidence."""
    start = data[:40].decode("utf-8", "replace")
    return repr(" ".join(start.split()))
