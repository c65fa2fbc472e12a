"""Remake the sample files the attachment tests use (run once; the files are committed).

    .venv/bin/python tests/data/files/make_samples.py

- gps.jpg: a photo with camera EXIF, a GPS position and a JPEG comment.
- rotated.jpg: a phone photo stored sideways (640 x 480) with EXIF orientation 6, so it
  shows upright as 480 x 640; its top (as shown) is red, its bottom blue.
- iphone.heic: an iPhone-style HEIC photo with EXIF.
- report.pdf: a one-page PDF.
- page.jpg: an HTML page with a script, named like a photo.
- drawing.svg: an SVG with a script.
The decompression bomb is made by the test itself (tests/attachments_support.py).
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).parent


def exif_with_gps() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    gps = {1: "N", 2: (51.0, 30.0, 12.5), 3: "W", 4: (0.0, 7.0, 39.0)}
    exif.get_ifd(0x8825).update(gps)
    return exif


def photo(size=(640, 480)) -> Image.Image:
    image = Image.new("RGB", size, (200, 200, 200))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, size[0] - 20, size[1] - 20), outline=(0, 0, 0), width=6)
    draw.text((40, 40), "ERROR 0x80070005", fill=(0, 0, 0))
    return image


def main() -> None:
    photo().save(HERE / "gps.jpg", "JPEG", exif=exif_with_gps(), comment=b"Room 12 by the window")
    # Stored sideways: the left half (red) is the top once turned 90 degrees clockwise.
    sideways = Image.new("RGB", (640, 480), (0, 0, 255))
    ImageDraw.Draw(sideways).rectangle((0, 0, 319, 479), fill=(255, 0, 0))
    exif = exif_with_gps()
    exif[0x0112] = 6  # Orientation: rotate 90 CW to show
    sideways.save(HERE / "rotated.jpg", "JPEG", exif=exif)
    import pillow_heif

    pillow_heif.register_heif_opener()
    photo((400, 300)).save(HERE / "iphone.heic", "HEIF", exif=exif_with_gps().tobytes())
    (HERE / "report.pdf").write_bytes(minimal_pdf())
    (HERE / "page.jpg").write_bytes(
        b"<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n"
    )
    (HERE / "drawing.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>\n"
    )


def minimal_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    stream = b"BT /F1 24 Tf 72 760 Td (Printer error log) Tj ET"
    objects[3] = b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream"
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


if __name__ == "__main__":
    main()
