"""evidence_attach and evidence_remove: the rules, the audit entries, and the stored files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.models import AuditEntry, Channel
from audit.services import AuditContext
from evidence import services
from evidence.display import clean_name, download_name, format_size
from evidence.models import Evidence
from evidence.services import evidence_attach, evidence_remove
from performance import rules
from performance import services as performance_services
from performance.models import Realization
from periods.models import QuarterLock, ReportingCalendar, default_deadlines
from tests import factories
from tests.evidence import files
from tests.evidence.helpers import quarter_entry, upload, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return factories.agency("uji-bukti")


@pytest.fixture
def operator(agency):
    user = factories.user("operator-bukti", agency=agency)
    user.first_name, user.last_name = "Sari", "Operator"
    user.save()
    return user


@pytest.fixture
def entry(agency):
    return quarter_entry(agency)


def ctx(user=None) -> AuditContext:
    return AuditContext(user=user, channel=Channel.FORM)


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def refusal(**kwargs) -> str:
    with pytest.raises(rules.RuleViolation) as caught:
        evidence_attach(**kwargs)
    return caught.value.violations[0].message


# ---- attaching ----


def test_attach_stores_the_file_with_its_sha256_and_writes_an_audit_entry(entry, operator):
    data = files.pdf("daftar hadir")
    evidence = evidence_attach(realization=entry, upload=upload(data, "Daftar hadir TW I.pdf"), ctx=ctx(operator))
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert (evidence.size, evidence.content_type) == (len(data), Evidence.Kind.PDF)
    assert evidence.original_name == "Daftar hadir TW I.pdf"
    assert (evidence.uploaded_by, evidence.uploaded_by_label) == (operator, "Sari Operator")
    # Stored under MEDIA_ROOT with a random name, never the one the browser sent.
    path = Path(evidence.file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "evidence" / "2025")
    assert "Daftar" not in path.name and path.read_bytes() == data
    log = AuditEntry.objects.get(object_type="evidence", object_id=evidence.pk)
    assert (log.action, log.user_label, log.channel) == ("create", "operator-bukti", "form")
    assert (log.agency_code, log.year, log.quarter, log.indicator_code) == ("uji-bukti", 2025, 1, "TPT")
    assert log.changes["sha256"] == [None, evidence.sha256]
    assert log.changes["original_name"] == [None, "Daftar hadir TW I.pdf"]
    assert log.changes["content_type"] == [None, "application/pdf"]


@pytest.mark.parametrize(
    ("data", "name", "claimed", "kind"),
    [
        (files.image("PNG"), "foto kegiatan.png", "image/png", Evidence.Kind.PNG),
        (files.image("JPEG"), "foto.jpeg", "image/jpeg", Evidence.Kind.JPEG),
        (files.xlsx(), "rekap.xlsx", "application/octet-stream", Evidence.Kind.XLSX),
        # The content decides: a PDF called .png, claimed as a PNG, is a PDF.
        (files.pdf(), "scan.png", "image/png", Evidence.Kind.PDF),
    ],
    ids=["png", "jpg", "xlsx", "pdf-named-png"],
)
def test_the_content_decides_the_type(entry, data, name, claimed, kind):
    evidence = evidence_attach(realization=entry, upload=upload(data, name, claimed), ctx=ctx())
    assert evidence.content_type == kind
    assert evidence.original_name == name


def test_a_pdf_named_png_downloads_as_pdf():
    assert download_name("scan.png", Evidence.Kind.PDF) == "scan.pdf"
    assert download_name("scan", Evidence.Kind.PDF) == "scan.pdf"
    assert download_name("rekap.XLSX", Evidence.Kind.XLSX) == "rekap.XLSX"
    assert download_name("foto.jpeg", Evidence.Kind.JPEG) == "foto.jpeg"
    assert download_name("laporan.v2", Evidence.Kind.PNG) == "laporan.v2.png"


@pytest.mark.parametrize(
    ("data", "name", "claimed"),
    [
        (b"Realisasi sudah sesuai", "bukti.pdf", "application/pdf"),  # text named .pdf
        (files.docx(), "bukti.xlsx", Evidence.Kind.XLSX),
        (files.xlsm(), "rekap.xlsx", Evidence.Kind.XLSX),
        (files.zipped({"a.txt": b"x"}), "bukti.zip", "application/zip"),
    ],
    ids=["text-as-pdf", "docx-as-xlsx", "xlsm-as-xlsx", "zip"],
)
def test_refused_content_writes_nothing(entry, data, name, claimed):
    message = refusal(realization=entry, upload=upload(data, name, claimed), ctx=ctx())
    assert "tidak diterima" in message or "bukan workbook" in message
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(object_type="evidence").exists()
    assert stored_files() == []


def test_empty_file(entry):
    assert refusal(realization=entry, upload=upload(b"", "kosong.pdf"), ctx=ctx()) == "berkas kosong"
    assert stored_files() == []


def test_oversize_is_refused_even_when_the_declared_size_lies(entry, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    big = files.pdf("x" * 2000)
    assert refusal(realization=entry, upload=upload(big), ctx=ctx()) == "berkas bukti dukung paling besar 1 KB"
    lying = upload(big)
    lying.size = 10  # what the client declared; the reader counts the bytes itself
    assert "paling besar 1 KB" in refusal(realization=entry, upload=lying, ctx=ctx())
    settings.EVIDENCE_MAX_BYTES = len(big)
    assert evidence_attach(realization=entry, upload=upload(big), ctx=ctx()).size == len(big)
    assert AuditEntry.objects.filter(object_type="evidence", action="create").count() == 1


def test_the_default_limit_is_ten_megabytes():
    assert settings.EVIDENCE_MAX_BYTES == 10 * 1024 * 1024
    assert services.too_large_message() == "berkas bukti dukung paling besar 10 MB"


def test_the_same_file_twice_on_one_entry(entry, agency):
    data = files.image("PNG")
    first = evidence_attach(realization=entry, upload=upload(data, "foto.png"), ctx=ctx())
    message = refusal(realization=entry, upload=upload(data, "foto lagi.png"), ctx=ctx())
    assert message.startswith("berkas yang sama sudah dilampirkan pada realisasi ini sebagai “foto.png” oleh sistem")
    assert list(Evidence.objects.all()) == [first]
    # Another entry may carry the same file.
    other = quarter_entry(agency, code="IKU2")
    assert evidence_attach(realization=other, upload=upload(data, "foto.png"), ctx=ctx()).sha256 == first.sha256


def test_locked_quarter_refuses_attach_and_remove(entry, agency, operator):
    evidence = evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx())
    QuarterLock.objects.create(agency=agency, year=2025, quarter=1, locked_by_label="Perencana Uji",
                               locked_at=timezone.now())
    message = refusal(realization=entry, upload=upload(files.pdf("lagi")), ctx=ctx(operator))
    assert message.startswith("TW I 2025 sudah dikunci oleh Perencana Uji")
    with pytest.raises(rules.RuleViolation) as caught:
        evidence_remove(evidence=evidence, ctx=ctx(operator))
    assert caught.value.violations[0].message == message
    assert Evidence.objects.count() == 1


def test_passed_deadline_refuses(entry, agency):
    ReportingCalendar.objects.create(government=agency.government, year=2025, **default_deadlines(2025))
    assert refusal(realization=entry, upload=upload(files.pdf()), ctx=ctx()).startswith(
        "Batas waktu pengisian TW I 2025 telah lewat"
    )


def test_verified_entry_refuses_attach_and_remove(entry, agency):
    evidence = evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx())
    planner = factories.user("perencana-bukti", agency=agency, role="planner")
    done = verified(entry, planner)
    assert done.review == Realization.Review.VERIFIED
    # The caller's copy still says draft: the service reads the state under the lock.
    assert refusal(realization=entry, upload=upload(files.pdf("baru")), ctx=ctx()) == rules.verified_message(done)
    with pytest.raises(rules.RuleViolation) as caught:
        evidence_remove(evidence=evidence, ctx=ctx())
    assert caught.value.violations[0].message == rules.verified_message(done)
    assert Path(evidence.file.path).exists()


def test_a_submitted_entry_still_takes_evidence(entry):
    performance_services.entries_transition(agency=entry.indicator.plan.agency, year=2025, quarter=1,
                                            transition="submit", indicator_ids=None, ctx=ctx())
    assert evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx()).pk


def test_a_failed_write_takes_its_file_with_it(entry, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.audit, "instance_save", broken)
    with pytest.raises(RuntimeError):
        evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx())
    assert stored_files() == []


# ---- removing ----


def test_remove_writes_an_entry_and_deletes_the_file_only_on_commit(entry, operator,
                                                                   django_capture_on_commit_callbacks):
    evidence = evidence_attach(realization=entry, upload=upload(files.pdf(), "SK Kepala.pdf"), ctx=ctx(operator))
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        evidence_remove(evidence=evidence, ctx=ctx(operator))
    assert not Evidence.objects.exists()
    assert path.exists(), "the file must outlive the transaction until it commits"
    log = AuditEntry.objects.get(object_type="evidence", object_id=evidence.pk, action="delete")
    assert log.changes["original_name"] == ["SK Kepala.pdf", None]
    assert log.changes["sha256"] == [evidence.sha256, None]
    assert log.user_label == "operator-bukti" and log.indicator_code == "TPT"
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_a_rolled_back_removal_keeps_the_file(entry):
    evidence = evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx())
    path = Path(evidence.file.path)
    with pytest.raises(RuntimeError), transaction.atomic():
        evidence_remove(evidence=evidence, ctx=ctx())
        raise RuntimeError("later step failed")
    assert Evidence.objects.filter(pk=evidence.pk).exists() and path.exists()


def test_removing_twice(entry):
    evidence = evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx())
    evidence_remove(evidence=evidence, ctx=ctx())
    with pytest.raises(rules.RuleViolation) as caught:
        evidence_remove(evidence=evidence, ctx=ctx())
    assert caught.value.violations[0].message == "bukti dukung ini sudah dihapus"


def test_a_cascade_deletes_the_files_on_commit_too(entry, django_capture_on_commit_callbacks):
    evidence = evidence_attach(realization=entry, upload=upload(files.pdf()), ctx=ctx())
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        performance_services.instance_delete(instance=Realization.objects.get(pk=entry.pk), ctx=ctx())
    assert not Evidence.objects.exists() and not path.exists()
    assert AuditEntry.objects.filter(object_type="evidence", object_id=evidence.pk, action="delete").exists()


# ---- names and sizes ----


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\sari\\Desktop\\bukti TW1.pdf", "bukti TW1.pdf"),
        ("../../etc/passwd", "passwd"),
        ("laporan\u202efdp.exe", "laporanfdp.exe"),  # a right-to-left override would disguise it
        ("nama\r\nX-Header: 1.pdf", "nama X-Header: 1.pdf"),
        ("  banyak    spasi\t.pdf ", "banyak spasi .pdf"),
        ("...", "bukti-dukung"),
        ("", "bukti-dukung"),
        (None, "bukti-dukung"),
        ("a" * 300 + ".xlsx", "a" * 145 + ".xlsx"),
        ("Daftar hadir—TW I (Ø).pdf", "Daftar hadir—TW I (Ø).pdf"),
    ],
)
def test_clean_name(given, kept):
    assert clean_name(given) == kept
    assert len(clean_name(given)) <= 150


@pytest.mark.parametrize(
    ("size", "shown"),
    [(300, "0,3 KB"), (1, "0,1 KB"), (12_600, "12,3 KB"), (358_400, "350 KB"), (1_572_864, "1,5 MB"),
     (10 * 1024 * 1024, "10 MB")],
)
def test_format_size(size, shown):
    assert format_size(size) == shown
