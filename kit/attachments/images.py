"""Pictures redrawn by Pillow before they are kept: upright, scaled, and without metadata.

A phone photo carries EXIF (the camera, the time, often the GPS position of a classroom)
and may carry comments and XMP. `reencode` applies the EXIF orientation first (so the
photo stays upright once the tag is gone), scales the picture to at most `LONG_SIDE`
pixels on its long side, and saves fresh pixels with no metadata; only the colour profile
is kept, since dropping it changes the colours. HEIC (iPhone) becomes JPEG. A picture
declaring more than `MAX_PIXELS` is refused from its header, before any pixel is decoded:
a 30,000 x 30,000 "decompression bomb" costs milliseconds, not gigabytes. No Flask here.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from kit.attachments.detect import Refused

LONG_SIDE = 2000
THUMB_SIDE = 320
MAX_PIXELS = 64_000_000  # a 48-megapixel phone camera fits; a bomb does not
MAX_FRAMES = 1  # an animated GIF keeps its first picture
JPEG_QUALITY = 85

# kind -> (Pillow format to save, mime served, extension of the stored name)
OUTPUT = {
    "jpeg": ("JPEG", "image/jpeg", ".jpg"),
    "heic": ("JPEG", "image/jpeg", ".jpg"),
    "png": ("PNG", "image/png", ".png"),
    "gif": ("GIF", "image/gif", ".gif"),
    "webp": ("WEBP", "image/webp", ".webp"),
}
_HEIF_READY = False


@dataclass(frozen=True)
class Redrawn:
    data: bytes
    mime: str
    extension: str
    width: int
    height: int
    thumbnail: bytes  # JPEG, at most THUMB_SIDE on its long side


def reencode(data: bytes, kind: str, name: str = "The picture") -> Redrawn:
    """The picture as fresh pixels (see the module docstring); `Refused` if it cannot be."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if kind == "heic":
        _enable_heif()
    unreadable = Refused(
        f"{name} looks like a picture but cannot be read as one. "
        "Take the photo or screenshot again and send the new file."
    )
    too_big = Refused(
        f"{name} is too many pixels to keep (the limit is {MAX_PIXELS // 1_000_000} "
        "megapixels). Send a smaller copy."
    )
    fmt, mime, extension = OUTPUT[kind]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise too_big
                picture = _upright_and_scaled(image, ImageOps)
    except Refused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None
    icc = picture.info.get("icc_profile")
    picture.info = {}
    out = io.BytesIO()
    picture = _mode_for(picture, fmt)
    options: dict = {"quality": JPEG_QUALITY} if fmt in ("JPEG", "WEBP") else {}
    if icc and fmt in ("JPEG", "PNG", "WEBP"):
        options["icc_profile"] = icc
    picture.save(out, fmt, **options)
    return Redrawn(
        out.getvalue(), mime, extension, picture.width, picture.height, _thumbnail(picture)
    )


def _upright_and_scaled(image, ImageOps):  # noqa: N803 (Pillow's module, passed in lazily)
    """Decoded at the size it will be kept (JPEG decodes scaled, which is much faster)."""
    box = _fit(image.size, LONG_SIDE)
    if image.format == "JPEG" and box != image.size:
        image.draft("RGB", box)
    image.load()
    if getattr(image, "n_frames", 1) > MAX_FRAMES:
        image.seek(0)
    picture = ImageOps.exif_transpose(image)
    if picture is image:
        picture = image.copy()
    picture.thumbnail((LONG_SIDE, LONG_SIDE))
    return picture


def _fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, side / max(width, height, 1))
    return max(1, int(width * scale)), max(1, int(height * scale))


def _mode_for(picture, fmt: str):
    if fmt == "JPEG" and picture.mode not in ("RGB", "L"):
        return _flatten(picture)
    if fmt == "WEBP" and picture.mode not in ("RGB", "RGBA"):
        return picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    if fmt == "PNG" and picture.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
        return picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    return picture


def _flatten(picture):
    """RGB on white: transparent parts of a screenshot stay readable in a JPEG."""
    from PIL import Image

    if picture.mode == "P":
        picture = picture.convert("RGBA")
    if "A" in picture.getbands():
        background = Image.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def _thumbnail(picture) -> bytes:
    thumb = _flatten(picture) if picture.mode not in ("RGB", "L") else picture.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    out = io.BytesIO()
    thumb.save(out, "JPEG", quality=80)
    return out.getvalue()


def _enable_heif() -> None:
    global _HEIF_READY
    if not _HEIF_READY:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _HEIF_READY = True
