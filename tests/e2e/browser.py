"""What every browser walkthrough does: sign in as a demo role and out again."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect

from tests import factories

BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


def log_in(page, live_server, username: str, shown: str | None = None) -> None:
    """Sign in; the header then names the user (their full name where they have one)."""
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav.user")).to_contain_text(shown or username)


def log_out(page) -> None:
    page.click("text=Keluar")
