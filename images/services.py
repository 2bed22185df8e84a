"""Every write of logos and organisation charts: upload (replacing the one before) and removal;
and the one read the renderer needs, the bytes behind a snapshot's image reference.

Like evidence (evidence/services.py): keyword-only, one transaction, the agency's write lock for an
agency's image, an audit entry per record; the type and size are decided from the content
(checks.py), the sha256 computed while the upload is read in chunks. Unlike evidence, a file is
named by its sha256 and kept when its record goes (see models.py): stored document versions
refer to it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from agencies.locks import agency_lock
from agencies.models import Agency, Government
from audit import services as audit
from audit.services import AuditContext
from evidence.display import clean_name, format_size
from performance.rules import RuleViolation, Violation

from . import checks
from .models import ReportImage

FOLDER = "images"


def too_large_message() -> str:
    return f"gambar paling besar {format_size(settings.IMAGE_MAX_BYTES)}"


def _refuse(field: str, message: str, value: str = "") -> RuleViolation:
    return RuleViolation([Violation(None, field, value, message)])


def _digest(upload: File) -> tuple[str, int]:
    limit = settings.IMAGE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse("file", too_large_message(), f"{upload.size} byte")
    digest, size = hashlib.sha256(), 0
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise _refuse("file", too_large_message(), f"lebih dari {limit} byte")
        digest.update(chunk)
    if size == 0:
        raise _refuse("file", checks.EMPTY)
    return digest.hexdigest(), size


def storage_name(sha256: str, content_type: str) -> str:
    return f"{FOLDER}/{sha256}{checks.EXTENSIONS[content_type]}"


def _uploader_label(ctx: AuditContext) -> str:
    user = ctx.user if ctx.user_id is not None else None
    return (user.get_full_name() or ctx.user_label) if user is not None else ctx.user_label


def _owner(kind: str, government: Government, agency: Agency | None, year: int | None) -> dict[str, Any]:
    if kind == ReportImage.Kind.GOVERNMENT_LOGO:
        return {"government": government, "agency": None, "year": None}
    if agency is None or agency.government_id != government.pk:
        raise _refuse("agency", "logo perangkat daerah dan bagan organisasi milik satu perangkat daerah Pemda ini")
    if kind == ReportImage.Kind.AGENCY_LOGO:
        return {"government": government, "agency": agency, "year": None}
    if kind == ReportImage.Kind.ORG_CHART:
        if year is None or not 2000 <= year <= 2100:
            raise _refuse("year", "tahun bagan organisasi antara 2000 dan 2100", str(year))
        return {"government": government, "agency": agency, "year": year}
    raise _refuse("kind", "jenis gambar: logo, logo_pemda atau bagan", kind)


@transaction.atomic
def image_upload(*, kind: str, government: Government, upload: File, ctx: AuditContext,
                 agency: Agency | None = None, year: int | None = None) -> ReportImage:
    """Store `upload` as the Pemda's logo, the agency's logo or the agency's chart of `year`,
    replacing the current one. RuleViolation (field "file") and nothing written when the upload is
    empty, larger than IMAGE_MAX_BYTES, not a whole PNG/JPEG by its content (SVG included), or of
    dimensions out of bounds."""
    owner = _owner(kind, government, agency, year)
    if owner["agency"] is not None:
        agency_lock(owner["agency"].code)
    sha256, size = _digest(upload)
    try:
        checked = checks.check_image(upload)
    except checks.Refused as refused:
        raise _refuse("file", refused.message) from refused
    name = storage_name(sha256, checked.content_type)
    # The row itself only: PostgreSQL refuses FOR UPDATE on the nullable side of the join `agency=None` makes.
    current = ReportImage.objects.select_for_update(of=("self",)).filter(kind=kind, **owner).first()
    if current is not None and current.sha256 == sha256:
        return current  # the same picture again: nothing changes
    if not default_storage.exists(name):
        upload.seek(0)
        saved = default_storage.save(name, upload)
        if saved != name:  # a concurrent upload of the same content won the name: keep one copy
            default_storage.delete(saved)
    image = current or ReportImage(kind=kind, **owner)
    image.file.name = name
    image.original_name = clean_name(upload.name)
    image.content_type = checked.content_type
    image.size = size
    image.width, image.height = checked.width, checked.height
    image.sha256 = sha256
    image.uploaded_by = ctx.user if ctx.user_id is not None else None
    image.uploaded_by_label = _uploader_label(ctx)
    image.uploaded_at = ctx.at
    audit.instance_save(instance=image, ctx=ctx)
    return image


@transaction.atomic
def image_remove(*, image: ReportImage, ctx: AuditContext) -> None:
    """The record goes with an entry; the file stays (stored document versions may print it)."""
    if image.agency_id is not None:
        agency_lock(image.agency.code)
    audit.objects_delete(objects=[image], ctx=ctx)


def image_reference(image: ReportImage) -> dict[str, Any]:
    """What a snapshot keeps of an image: enough to fetch and check the bytes, not the bytes."""
    return {
        "kind": image.kind, "year": image.year, "sha256": image.sha256, "storage": image.file.name,
        "content_type": image.content_type, "width": image.width, "height": image.height,
        "owner": "pemda" if image.agency_id is None else "agency",
    }


def image_bytes(reference: dict[str, Any]) -> bytes | None:
    """The bytes of a snapshot's image reference, or None when the file is gone or is no longer
    the file the snapshot saw (its sha256 differs): the renderer then prints no image."""
    name = str(reference.get("storage") or "")
    if not name.startswith(f"{FOLDER}/") or ".." in name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != reference.get("sha256"):
        return None
    return data
