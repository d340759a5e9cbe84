import pytest

from portal.organisations.models import VerificationStatus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PUBLIC_PAGES = ["/", "/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/organisations/", "/nope/"]
MEMBER_PAGES = ["/accounts/profile/", "/accounts/profile/delete/", "/organisations/register/"]
STAFF_PAGES = ["/organisations/verification/", "/accounts/profile/residences/", "/audit/"]


def _log_in(page, site, user, password):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{site}/accounts/profile/")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_pages_have_no_serious_accessibility_violations(
    page, site, people, home_page, password, axe_violations, language
):
    OrganisationFactory(name="待认证组织", region=people.ngo.region, verification_status=VerificationStatus.PENDING)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    problems = {}

    def audit(paths):
        for path in paths:
            page.goto(f"{site}{path}")
            found = axe_violations(page)
            if found:
                problems[path] = found

    audit(PUBLIC_PAGES + [people.ngo.get_absolute_url()])
    _log_in(page, site, people.ngo_member, password)
    audit(MEMBER_PAGES + [people.ngo.get_absolute_url()])
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": site}])
    _log_in(page, site, people.district_staff, password)
    audit(STAFF_PAGES)
    assert problems == {}
