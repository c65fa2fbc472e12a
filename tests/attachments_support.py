"""Sample files for the attachment tests: the committed ones in tests/data/files/, and a
decompression bomb made here (a small PNG that declares 30,000 x 30,000 pixels)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

FILES = Path(__file__).parent / "data" / "files"


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def png_bomb(side: int = 30_000) -> bytes:
    """A real PNG of `side` x `side` black 1-bit pixels: about 100 KB on disk, over 100 MB
    of pixel data once decoded (900 million pixels)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    row = b"\x00" + bytes((side + 7) // 8)
    packer = zlib.compressobj(9)
    rows_per_block = max(1, (1 << 20) // len(row))
    block = row * rows_per_block
    out = io.BytesIO()
    left = side
    while left:
        count = min(left, rows_per_block)
        out.write(packer.compress(block if count == rows_per_block else row * count))
        left -= count
    out.write(packer.flush())
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", out.getvalue())
        + chunk(b"IEND", b"")
    )


def jpeg(size=(64, 48), color=(10, 120, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()
