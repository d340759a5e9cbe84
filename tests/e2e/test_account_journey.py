import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from portal.accounts.models import User

# serialized_rollback: the flush after a transactional test must not wipe what migrations created
# (Wagtail's root page and its Editors/Moderators permissions) for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _confirmation_link():
    assert mail.outbox, "no verification email was sent"
    return re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)


def test_sign_up_verify_log_in_switch_language_and_edit_profile(page, site, tree):
    # Sign up (the page is in Chinese by default).
    page.goto(f"{site}/accounts/signup/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.fill("input[name=username]", "lihua")
    page.fill("input[name=email]", "lihua@example.org")
    page.fill("input[name=display_name]", "李华")
    page.fill("input[name=password1]", "Spring-Festival-2026")
    page.fill("input[name=password2]", "Spring-Festival-2026")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/"))

    # Verify the address from the mail outbox; allauth logs the new user in.
    page.goto(_confirmation_link())
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/"))
    assert User.objects.get(username="lihua").emailaddress_set.get().verified

    # Log out and in again, by email this time.
    page.locator("header form[action$='/accounts/logout/'] button").click()
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", "lihua@example.org")
    page.fill("input[name=password]", "Spring-Festival-2026")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/"))

    # Switch to English; the page and the profile remember it.
    page.select_option("#language-select", "en")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="My profile", exact=True)).to_be_visible()

    # Edit the profile.
    page.fill("input[name=display_name]", "Li Hua")
    page.fill("input[name=phone]", "13912345678")
    page.select_option("select[name=home_community]", label="甲二社区")
    page.locator("main form button[type=submit]", has_text="Save profile").click()
    expect(page.locator(".message-success")).to_be_visible()
    user = User.objects.get(username="lihua")
    assert (user.display_name, user.phone, user.language) == ("Li Hua", "13912345678", "en")
    assert user.home_community == tree.community_a2
