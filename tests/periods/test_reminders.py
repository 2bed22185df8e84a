"""Deadline reminders: who gets which e-mail on which day, never twice, dry runs send nothing;
the command and the Celery task."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from lkjip.celery import app as celery_app
from periods import services
from periods.links import entry_url
from periods.models import SentReminder
from periods.reminders import DUE, FAILED, SENT, SKIPPED, reminders_due, reminders_send
from periods.tasks import send_reminders
from tests import factories
from tests.periods.helpers import FUTURE, PAST, calendar, ctx, entry, planned_agency, today

pytestmark = pytest.mark.django_db

DEADLINE = datetime.date(FUTURE, 4, 15)  # TW I by the default calendar


def day(n: int) -> datetime.date:
    """n days before TW I's deadline."""
    return DEADLINE - datetime.timedelta(days=n)


@pytest.fixture
def world(settings):
    settings.REMINDER_DAYS = [7, 3, 1]
    settings.SITE_URL = "https://lkjip.example.go.id"
    gov = factories.government("Pemerintah Kota Uji")
    calendar(gov, FUTURE)
    a, (a1, a2, a3) = planned_agency("dinas-a", gov)
    a.name = "Dinas A\nBaris baru"  # a name with a line break must not break the subject
    a.save()
    entry(a1, FUTURE, 1, "terverifikasi")
    entry(a2, FUTURE, 1, "dikembalikan", note="angka tidak sesuai data BPS")
    b, b_indicators = planned_agency("dinas-b", gov)
    for indicator in b_indicators:
        entry(indicator, FUTURE, 1, "diajukan")  # complete, waiting for the planner: nothing to remind
    elsewhere = factories.government("Pemerintah Kota Lain")
    c, _ = planned_agency("dinas-c", elsewhere)  # no calendar: no deadline, no reminder

    def person(username, agency, role, email=True, active=True):
        user = factories.user(username, agency=agency, role=role)
        user.email = f"{username}@uji.go.id" if email else ""
        user.is_active = active
        user.save()
        return user

    people = {
        "op_a": person("op_a", a, "staff"),
        "pln_a": person("pln_a", a, "planner"),
        "head_a": person("head_a", a, "head"),
        "op_a_noemail": person("op_a2", a, "staff", email=False),
        "op_a_inactive": person("op_a3", a, "staff", active=False),
        "op_b": person("op_b", b, "staff"),
        "op_c": person("op_c", c, "staff"),
    }
    people["pln_a"].full_name = "Rina Perencana"
    people["pln_a"].save()
    return {"gov": gov, "a": a, "b": b, "c": c, "indicators": (a1, a2, a3), **people}


def test_operators_and_planners_with_missing_or_returned_entries_get_one_email(world):
    outcomes = reminders_send(on=day(7))
    assert [o.status for o in outcomes] == [SENT, SENT]
    assert sorted(m.to[0] for m in mail.outbox) == ["op_a@uji.go.id", "pln_a@uji.go.id"]
    message = next(m for m in mail.outbox if m.to == ["pln_a@uji.go.id"])
    assert message.subject == (
        f"[LKjIP] TW I {FUTURE} Dinas A Baris baru: 1 belum diisi, 1 dikembalikan — batas 15 April {FUTURE} (7 hari lagi)"
    )
    body = message.body
    assert body.startswith("Yth. Rina Perencana,")
    assert "- IK3 Indikator 3 dinas-a: belum diisi" in body
    assert "- IK2 Indikator 2 dinas-a: dikembalikan — alasan: angka tidak sesuai data BPS" in body
    assert "IK1" not in body
    assert f"Isi atau perbaiki di: https://lkjip.example.go.id{entry_url('dinas-a', FUTURE, 1)}" in body
    assert f"https://lkjip.example.go.id{reverse('reports:overview', args=['dinas-a', FUTURE])}" in body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert SentReminder.objects.count() == 2


@pytest.mark.parametrize(("before", "count"), [(7, 2), (6, 0), (3, 2), (2, 0), (1, 2), (0, 0), (8, 0)])
def test_only_on_the_configured_days(world, before, count):
    reminders_send(on=day(before))
    assert len(mail.outbox) == count
    if count:
        assert mail.outbox[0].subject.endswith("(besok)" if before == 1 else f"({before} hari lagi)")


def test_the_configured_days_come_from_settings(world, settings):
    settings.REMINDER_DAYS = [2]
    assert len(reminders_send(on=day(2))) == 2
    assert reminders_send(on=day(7)) == []


def test_nothing_is_sent_twice_on_one_day(world):
    reminders_send(on=day(3))
    again = reminders_send(on=day(3))
    assert [o.status for o in again] == [SKIPPED, SKIPPED]
    assert len(mail.outbox) == 2
    reminders_send(on=day(1))  # another day: sent again
    assert len(mail.outbox) == 4


def test_a_dry_run_sends_and_records_nothing(world):
    outcomes = reminders_send(on=day(7), dry_run=True)
    assert [o.status for o in outcomes] == [DUE, DUE]
    assert mail.outbox == [] and not SentReminder.objects.exists()


def test_once_complete_or_locked_there_is_nothing_to_remind(world):
    a1, a2, a3 = world["indicators"]
    a2.realizations.update(review="terverifikasi")
    entry(a3, FUTURE, 1, "draf")
    assert reminders_due(on=day(3)) == []


def test_a_reopening_reminds_before_its_own_end(world):
    gov, a = world["gov"], world["a"]
    calendar(gov, PAST)
    bappeda = factories.user("bappeda", government=gov, gov_role="planner")
    services.reopening_grant(agency=a, year=PAST, quarter=2, until=today() + datetime.timedelta(days=3),
                             ctx=ctx(bappeda, "banjir"))
    due = reminders_due(on=today())
    assert {(r.user.username, r.period.year, r.period.quarter, r.days_left) for r in due} == {
        ("op_a", PAST, 2, 3), ("pln_a", PAST, 2, 3),
    }
    assert "Batas pembukaan kembali realisasi TW II" in due[0].body
    # The Pemda's own deadline for that period passed long ago: no other reminder that day.
    assert reminders_due(on=today() + datetime.timedelta(days=1)) == []


def test_a_failed_send_is_retried_on_the_next_run(world, monkeypatch):
    from django.core.mail import EmailMessage

    def broken(self, fail_silently=False):
        raise OSError("SMTP tidak dapat dihubungi")

    monkeypatch.setattr(EmailMessage, "send", broken)
    outcomes = reminders_send(on=day(7))
    assert {o.status for o in outcomes} == {FAILED} and "SMTP" in outcomes[0].error
    assert not SentReminder.objects.exists()
    monkeypatch.undo()
    assert [o.status for o in reminders_send(on=day(7))] == [SENT, SENT]


def test_the_command_prints_what_it_sends(world):
    out = io.StringIO()
    call_command("send_reminders", "--date", day(7).isoformat(), "--dry-run", stdout=out)
    text = out.getvalue()
    assert text.startswith(f"Pengingat untuk {day(7).day} April {FUTURE} (H-7, H-3, H-1) — uji coba:")
    assert f"akan dikirim op_a@uji.go.id  TW I {FUTURE} Dinas A" in text
    assert "2 e-mail akan dikirim, 0 sudah dikirim. Uji coba: tidak ada e-mail yang dikirim." in text
    assert mail.outbox == []

    out = io.StringIO()
    call_command("send_reminders", "--date", day(7).isoformat(), stdout=out)
    assert "2 e-mail terkirim, 0 dilewati, 0 gagal." in out.getvalue()
    assert len(mail.outbox) == 2
    out = io.StringIO()
    call_command("send_reminders", "--date", day(7).isoformat(), stdout=out)
    assert "sudah dikirim pada tanggal ini" in out.getvalue() and len(mail.outbox) == 2

    out = io.StringIO()
    call_command("send_reminders", "--date", day(6).isoformat(), stdout=out)
    assert "Tidak ada pengingat untuk tanggal ini." in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "8/4/2025")


def test_the_celery_task_runs_on_the_default_queue_every_morning(world):
    assert send_reminders(on=day(3).isoformat()) == 2
    assert send_reminders.apply(kwargs={"on": day(3).isoformat()}).get() == 0  # already sent that day
    route = celery_app.amqp.router.route({}, "periods.tasks.send_reminders")
    assert route["queue"].name == "default"
    schedule = settings.CELERY_BEAT_SCHEDULE["deadline-reminders"]
    assert schedule["task"] == "periods.tasks.send_reminders"
    assert schedule["schedule"].hour == {7} and schedule["schedule"].minute == {0}
    assert settings.CELERY_TIMEZONE == "Asia/Jakarta"
