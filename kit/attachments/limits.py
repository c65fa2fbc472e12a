"""How much a person may attach: the school's settings, read once per upload.

Staff and the public (the customer's web form and status-link reply page) get different
limits; the public ones are stricter and only ever take pictures and PDFs. Mail in has its
own: a mail's sender is not proven, so it too keeps only pictures and PDFs, but a mail often
carries more files than a form, so how many and how large are settings of their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from kit import settings
from kit.attachments.detect import KINDS, PUBLIC_KINDS

MB = 1024 * 1024
PUBLIC_PER_REQUEST = 3
_FORM_MARGIN = MB  # the rest of a form around its files


@dataclass(frozen=True)
class Limits:
    kinds: frozenset[str]  # what may be kept (see kit.attachments.detect.KINDS)
    file_bytes: int  # one file, as uploaded
    per_request: int  # files in one form
    per_call: int  # files a call keeps (removed ones do not count)
    call_bytes: int  # bytes a call keeps, after re-encoding

    @property
    def request_bytes(self) -> int:
        """The largest form the upload's route accepts before answering 413."""
        return self.file_bytes * self.per_request + _FORM_MARGIN


def for_staff(db: Database) -> Limits:
    values = settings.get_all(db)
    return Limits(
        kinds=frozenset(k for k in values["attachment_kinds"] if k in KINDS),
        file_bytes=int(values["attachment_staff_file_mb"]) * MB,
        per_request=int(values["attachment_per_request"]),
        per_call=int(values["attachment_per_call"]),
        call_bytes=int(values["attachment_call_mb"]) * MB,
    )


def for_public(db: Database) -> Limits:
    staff = for_staff(db)
    values = settings.get_all(db)
    return Limits(
        kinds=staff.kinds & PUBLIC_KINDS,
        file_bytes=min(staff.file_bytes, int(values["attachment_public_file_mb"]) * MB),
        per_request=min(staff.per_request, PUBLIC_PER_REQUEST),
        per_call=staff.per_call,
        call_bytes=staff.call_bytes,
    )


def size_text(size: int) -> str:
    """1.2 MB, 340 KB, 12 bytes: as the call page shows sizes."""
    if size >= MB:
        return f"{size / MB:.1f} MB"
    if size >= 1024:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def for_mail(db: Database) -> Limits:
    """Files a mail brings to its call: `per_request` is how many one mail may add."""
    public = for_public(db)
    values = settings.get_all(db)
    return Limits(
        kinds=public.kinds,
        file_bytes=int(values["attachment_mail_file_mb"]) * MB,
        per_request=int(values["attachment_mail_files"]),
        per_call=public.per_call,
        call_bytes=public.call_bytes,
    )
