"""Helpers for the browser journeys."""
# The browser and page fixtures live in tests/conftest.py: one definition for the whole suite, so
# a worker never starts a second sync_playwright() inside the first one's event loop.


def login_as(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
