"""Every demo account (one per role, from the full demo) logs in through the real login page and lands on its
dashboard."""

import io

import pytest
from django.core.management import call_command

from silon.accounts import demo
from silon.accounts.models import Role, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each role's dashboard leads with (templates/dashboard/ and each app's panels.py)
FIRST_SECTION = {
    Role.ADMIN: "#queues-title",
    Role.KPU_OPERATOR: "#queues-title",
    Role.BAWASLU: "#queues-title",
    Role.VERIFIER: "#rounds-title",
    Role.PAIR_OPERATOR: ".team-pair",
    Role.PARTY_ADMIN: ".team-pair",
}


def test_each_demo_role_logs_in_and_sees_its_home(live_server, browser, screenshot_dir):
    call_command("demo_load", allow_production=True, stdout=io.StringIO())  # pytest runs with DEBUG off
    users = list(User.objects.order_by("username"))
    assert {u.role for u in users} == set(Role.values)  # the demo really has one account per role
    for user in users:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", demo.DEMO_PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/akun/")
        badge = page.locator(".role-badge")
        assert badge.get_attribute("data-role") == user.role
        assert page.locator("h1").inner_text() == "Dasbor"
        assert user.username in page.locator("header").inner_text()
        assert page.locator(FIRST_SECTION[user.role]).count() >= 1, user.username
        page.screenshot(path=str(screenshot_dir / f"dashboard-{user.username}.png"), full_page=True)
        context.close()


def test_login_page_on_a_phone(live_server, browser, screenshot_dir):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/akun/masuk/")
    box = page.locator("#id_username").bounding_box()
    assert box is not None and box["width"] <= 390
    page.screenshot(path=str(screenshot_dir / "login-phone.png"), full_page=True)
    context.close()
