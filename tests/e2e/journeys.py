"""Steps the browser journeys share."""

import re


def log_in(page, site, user, password):
    """Log `user` in through the login form, as a fresh visitor (cookies cleared), and land on their profile."""
    page.context.clear_cookies()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/accounts/profile/"))
