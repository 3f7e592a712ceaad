"""Browser journeys: Playwright's Python package driving Debian's Chromium, headless.

No browser is ever downloaded (``playwright install`` is never run): the journeys launch
``/usr/bin/chromium``, which ``.ci/run`` installs with apt when it is missing. Without it the
journeys are skipped with a message saying how to install it.

The pages are served by pytest-django's ``live_server`` (a real HTTP server in a thread, on a
transactional test database). Playwright's sync API keeps an asyncio event loop running in the
test's thread, which has two consequences found the hard way:

* Django's ORM refuses to run in a thread with a running event loop ("You cannot call this from
  an async context") unless ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set. The tests touch the ORM only
  between browser steps, never concurrently with it, so the variable is set while a browser is
  open and removed afterwards: it never weakens the check for the rest of the suite.
* With a loop running, ``django.db.connections`` keeps its connections per asyncio context instead
  of per thread, so the test gets fresh connection objects that lack the snapshot of the
  migration data (``_test_serialized_contents``) that ``serialized_rollback`` restores after each
  journey's flush (the home page, Wagtail's root page, the ISO clause catalogue). The ``browser``
  fixture copies the snapshot onto them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PASSWORD

CHROMIUM = Path(os.environ.get("QMS_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before `-m e2e` selects on the marker
def pytest_collection_modifyitems(config, items):
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: install Debian's Chromium "
        "(apt-get install -y --no-install-recommends chromium) to run the browser journeys"
    )
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.e2e)
            if not CHROMIUM.exists():
                item.add_marker(skip)


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker):
    from django.db import connections
    from playwright.sync_api import sync_playwright

    snapshots = {
        alias: getattr(connections[alias], "_test_serialized_contents", None)
        for alias in connections
    }
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            for alias, snapshot in snapshots.items():
                if snapshot is not None:
                    connections[alias]._test_serialized_contents = snapshot
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context (no cookies shared between tests) and its page."""
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def log_in(live_server):
    """Log ``page`` in through the staff site's login page as ``username``."""

    def do(page, username: str, next_path: str = "/"):
        page.goto(f"{live_server.url}/dang-nhap/?next={next_path}")
        page.get_by_label("Tên đăng nhập").fill(username)
        page.get_by_label("Mật khẩu").fill(PASSWORD)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state()
        return page

    return do
