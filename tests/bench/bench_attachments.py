"""Attachments: a 5 MB phone photo uploaded on a call's page (the whole route: the form,
type detection, EXIF orientation, scaling to 2,000 px, re-encoding, the thumbnail, the
files and the row in the write lock) against a bare Pillow open-and-save of the same file.
Target: within 1.5x."""

from __future__ import annotations

import io
import os
from pathlib import Path

from kit import settings
from kit.db import connect
from tests.bench.common import BENCH_PASSWORD, bench_app, bench_user, paired_times, report_pair

TARGET = 1.5


def phone_photo(megabytes: float = 5.0) -> bytes:
    """A 4032 x 3024 JPEG (a 12-megapixel phone camera) of about `megabytes`, with EXIF
    orientation and GPS, as a phone sends it."""
    from PIL import Image, ImageFilter

    side = (4032, 3024)
    noise = Image.frombytes("L", (side[0] // 4, side[1] // 4), os.urandom(side[0] * side[1] // 16))
    base = Image.merge("RGB", [noise, noise.rotate(90, expand=False), noise.transpose(0)])
    picture = base.resize(side).filter(ImageFilter.SMOOTH)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8825).update({1: "N", 2: (51.0, 30.0, 12.5)})
    for quality in (95, 92, 88, 85, 80, 75, 70):
        out = io.BytesIO()
        picture.save(out, "JPEG", quality=quality, exif=exif)
        if out.tell() <= megabytes * 1024 * 1024 * 1.1:
            break
    return out.getvalue()


def run(instance: Path) -> None:
    app = bench_app(instance)
    db = connect(app.config["DATABASE"])
    bench_user(db, "bench-desk", {"desk"})
    settings.put(db, "attachment_per_call", 1000, user_id=None, at="2026-12-05 07:00:00")
    settings.put(db, "attachment_call_mb", 100_000, user_id=None, at="2026-12-05 07:00:00")
    call_id = db.execute("SELECT id FROM calls WHERE voided = 0 ORDER BY id LIMIT 1").fetchone()[0]
    db.conn.close()
    photo = phone_photo()
    print(f"photo: {len(photo) / 1024 / 1024:.1f} MB, 4032 x 3024 JPEG with EXIF", flush=True)
    client = app.test_client()
    client.post("/auth/login", data={"username": "bench-desk", "password": BENCH_PASSWORD})

    def upload() -> None:
        response = client.post(
            f"/calls/{call_id}/attachments",
            data={"file": [(io.BytesIO(photo), "IMG_1234.jpg")]},
            content_type="multipart/form-data",
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:300]

    def bare() -> None:
        from PIL import Image

        with Image.open(io.BytesIO(photo)) as image:
            image.save(io.BytesIO(), "JPEG", quality=85)

    pair = paired_times(upload, bare, repeat=10)
    report_pair("5 MB phone photo: upload + re-encode vs Pillow", pair, TARGET)
