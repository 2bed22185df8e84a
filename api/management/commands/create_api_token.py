from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from agencies.models import User
from api.services import DEFAULT_DAYS, TokenError, token_create
from audit.models import Channel
from audit.services import AuditContext


class Command(BaseCommand):
    help = "Buat token API pribadi untuk seorang pengguna dan cetak tokennya (hanya sekali ini)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py", help="nama token (mis. aplikasi yang memakainya)")
        parser.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"masa berlaku dalam hari (bawaan {DEFAULT_DAYS})")

    def handle(self, *args: object, username: str, name: str, days: int, **options: object) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ditemukan.")
        try:
            token, raw = token_create(context=AuditContext(channel=Channel.COMMAND), user=user, name=name, days=days)
        except TokenError as exc:
            raise CommandError(str(exc)) from None
        self.stderr.write(f"Token “{token.name}” untuk {username}, berlaku sampai {timezone.localtime(token.expiry):%Y-%m-%d %H:%M} WIB.")
        self.stdout.write(raw)
