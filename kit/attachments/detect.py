"""What a file is, from its bytes: never from its name or the browser's Content-Type.

`detect(data, filename)` names the file's kind (one of `KINDS`) or raises `Refused` with a
message for the person. A file is refused when its bytes are not a kind the kit keeps
(HTML, SVG, scripts, programs...), or when its name says one kind and its bytes another
(an HTML page called photo.jpg). A name with no extension is fine: the stored file gets
the right one. Detection is puremagic's (pure Python, works from bytes, on Windows too),
with two checks of our own: Office's zip formats by their inside, and plain text by being
text. No Flask here.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass

import puremagic

# kind -> (what people call it, extensions a name of that kind may have)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "jpeg": ("JPEG photo", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "png": ("PNG picture", (".png",)),
    "gif": ("GIF picture", (".gif",)),
    "webp": ("WebP picture", (".webp",)),
    "heic": ("HEIC photo (iPhone)", (".heic", ".heif")),
    "pdf": ("PDF document", (".pdf",)),
    "text": ("text file or log", (".txt", ".log")),
    "office": (
        "Office document",
        (".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".doc", ".xls", ".ppt"),
    ),
}
IMAGE_KINDS = frozenset({"jpeg", "png", "gif", "webp", "heic"})
PUBLIC_KINDS = IMAGE_KINDS | {"pdf"}  # what the customer's form and reply page take

_MIME_KINDS = {
    "image/jpeg": "jpeg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heif": "heic",
    "image/heic": "heic",
    "application/pdf": "pdf",
}
_OLE_EXTENSIONS = {
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
}
_ZIP_OFFICE = {  # extension -> (mime, what must be inside the zip)
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "ppt/",
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", "opendocument.text"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", "opendocument.spreadsheet"),
    ".odp": ("application/vnd.oasis.opendocument.presentation", "opendocument.presentation"),
}
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_SIGNATURE = b"PK\x03\x04"
_TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13}


class Refused(ValueError):
    """A file the kit will not keep; the message says why, in plain words."""


@dataclass(frozen=True)
class Detected:
    kind: str
    mime: str  # what the bytes are (a HEIC is served as JPEG once re-encoded)
    extension: str  # the extension its stored name gets


def extension_of(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower()


def label(kind: str) -> str:
    return KINDS[kind][0]


def detect(data: bytes, filename: str) -> Detected:
    """The kind of `data`, checked against `filename`'s extension; `Refused` otherwise."""
    if not data:
        raise Refused(f"{_shown(filename)} is empty.")
    ext = extension_of(filename)
    found = _by_bytes(data, ext)
    if found is None:
        what = _what_it_is(data)
        named = f" named like {_kind_of_extension(ext)} but" if _known(ext) else ""
        raise Refused(
            f"{_shown(filename)} is{named} {what}, which the kit does not keep. "
            "Nothing was kept: send a photo, a PDF, a text file or an Office document."
        )
    allowed = KINDS[found.kind][1]
    if ext and ext not in allowed:
        said = _kind_of_extension(ext)
        raise Refused(
            f"{_shown(filename)} is named like {said} but is really a {label(found.kind)}. "
            "Nothing was kept: rename it, or send the file it should be."
        )
    return found


def _by_bytes(data: bytes, ext: str) -> Detected | None:
    if data.startswith(_ZIP_SIGNATURE):
        return _zip_office(data, ext)
    if data.startswith(_OLE_SIGNATURE):
        mime = _OLE_EXTENSIONS.get(ext)
        return Detected("office", mime, ext) if mime else None
    for mime in _mimes(data):
        kind = _MIME_KINDS.get(mime)
        if kind:
            return Detected(kind, "image/heic" if kind == "heic" else mime, _default_ext(kind, ext))
    if _mimes(data) or not _is_text(data):
        return None
    return Detected("text", "text/plain", ext if ext in KINDS["text"][1] else ".txt")


def _default_ext(kind: str, ext: str) -> str:
    allowed = KINDS[kind][1]
    return ext if ext in allowed else allowed[0]


def _zip_office(data: bytes, ext: str) -> Detected | None:
    """An Office zip whose inside matches its extension (word/ for .docx...)."""
    if ext not in _ZIP_OFFICE:
        return None
    mime, marker = _ZIP_OFFICE[ext]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
            if ext in (".odt", ".ods", ".odp"):
                ok = "mimetype" in names and marker in zf.read("mimetype")[:100].decode(
                    "ascii", "replace"
                )
            else:
                ok = "[Content_Types].xml" in names and any(n.startswith(marker) for n in names)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return None
    return Detected("office", mime, ext) if ok else None


def _mimes(data: bytes) -> list[str]:
    try:
        matches = puremagic.magic_string(data[:65536])
    except (puremagic.PureError, ValueError):
        return []
    return [m.mime_type for m in matches if m.mime_type]


def _is_text(data: bytes) -> bool:
    sample = data[:65536]
    if any(byte in _TEXT_CONTROLS for byte in sample):
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not merely a character cut at the sample's end
            return False
    return True


def _what_it_is(data: bytes) -> str:
    try:
        matches = puremagic.magic_string(data[:65536])
    except (puremagic.PureError, ValueError):
        matches = []
    for m in matches:
        if m.name:
            return f"really another kind of file ({m.name.split('|')[0].strip()})"
    return "a kind of file that cannot be recognised"


def _known(ext: str) -> bool:
    return any(ext in extensions for _name, extensions in KINDS.values())


def _kind_of_extension(ext: str) -> str:
    for name, extensions in KINDS.values():
        if ext in extensions:
            return f"a {name}"
    return f"a {ext} file"


def _shown(filename: str) -> str:
    name = (filename or "").strip() or "The file"
    return f"“{name[:80]}”" if name != "The file" else name
