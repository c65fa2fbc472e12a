"""The school logo: checked, re-encoded and kept as `logo.png` in the instance folder.

The printed sheets put the logo on every PDF (kit.printing reads that path and serves it
as PNG), so only a real PNG or JPEG is accepted: the file must start with the format's
signature, not merely be called .png, and must decode as that image. It is then redrawn
as a fresh PNG, which drops anything hidden after the picture data and turns a JPEG into
the PNG the printing area expects. No Flask here.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

MAX_BYTES = 1024 * 1024
MAX_PIXELS = 25_000_000  # refuse "decompression bombs" long before they fill memory
LARGEST_SIDE = 1000  # plenty for a sheet's header
SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"))
FILENAME = "logo.png"


def logo_path(instance: Path | str) -> Path:
    return Path(instance) / FILENAME


def image_format(data: bytes) -> str | None:
    """ "PNG" or "JPEG" from the file's first bytes, or None for anything else."""
    return next((name for magic, name in SIGNATURES if data.startswith(magic)), None)


def store_logo(data: bytes, instance: Path | str) -> str:
    """Save the uploaded bytes as the logo and describe it, or raise ValueError saying why not."""
    if len(data) > MAX_BYTES:
        raise ValueError("The logo is larger than 1 MB. Save a smaller copy and try again.")
    expected = image_format(data)
    if expected is None:
        raise ValueError(
            "The logo must be a PNG or JPEG image. This file is not one, whatever its name says."
        )
    png, size = _redraw(data, expected)
    target = logo_path(instance)
    partial = target.with_suffix(".part")
    partial.write_bytes(png)
    os.replace(partial, target)  # the printing area never reads half a file
    return f"{expected} upload, kept as {size[0]} × {size[1]} PNG"


def remove_logo(instance: Path | str) -> bool:
    path = logo_path(instance)
    if path.exists():
        path.unlink()
        return True
    return False


def _redraw(data: bytes, expected: str) -> tuple[bytes, tuple[int, int]]:
    """The picture as a fresh PNG no larger than MAX_BYTES; ValueError if it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    unreadable = ValueError(
        f"The file starts like a {expected} image but cannot be read as "
        "one. Export it again from your graphics program."
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected:
                raise unreadable
            if image.width * image.height > MAX_PIXELS:
                raise ValueError("The logo has too many pixels. Use one under 5000 × 5000.")
            image.load()
            picture = image.convert(
                "RGBA" if "A" in image.getbands() or image.mode == "P" else "RGB"
            )
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise unreadable from None
    side = LARGEST_SIDE
    while True:
        picture.thumbnail((side, side))
        out = io.BytesIO()
        picture.save(out, "PNG", optimize=True)
        if out.tell() <= MAX_BYTES or side < 100:
            return out.getvalue(), picture.size
        side //= 2
