"""Browser tests: Playwright driving Debian's chromium (never `playwright install`)."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM:
        return
    if os.environ.get("LKJIP_E2E_REQUIRED"):
        raise pytest.UsageError("Browser tests need Debian's chromium: apt-get install chromium")
    marker = pytest.mark.skip(reason="chromium not installed (apt-get install chromium); CI installs it")
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(marker)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }
