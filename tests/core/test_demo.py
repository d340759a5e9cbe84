import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.accounts.demo import ACCOUNTS
from portal.accounts.roles import in_scope
from portal.core.demo import DEMO_PASSWORD
from portal.organisations.models import Organisation, OrganisationKind
from portal.regions.models import Region, RegionLevel

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_the_demo_district_has_the_shape_of_the_seeds(demo):
    counts = {level: Region.objects.filter(level=level).count() for level in RegionLevel.values}
    assert counts == {"district": 1, "street": 7, "community": 45, "grid": 120, "sub_grid": 532}
    assert Region.find_problems() == ([], [], [], [], [])
    assert set(Organisation.objects.values_list("kind", flat=True)) == set(OrganisationKind.values)


def test_loading_twice_changes_nothing(demo):
    before = (Region.objects.count(), Organisation.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Region.objects.count(), Organisation.objects.count()) == before


@pytest.mark.parametrize("username", [a[0] for a in ACCOUNTS] + ["admin"])
def test_every_demo_account_logs_in(demo, client, username):
    response = client.post("/accounts/login/", {"login": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/api/v1/me/").json()["username"] == username


def test_demo_staff_scope_follows_the_streets(demo):
    from portal.accounts.models import User

    street_staff = User.objects.get(username="streetstaff1")
    first, second = Region.objects.filter(level=RegionLevel.STREET).order_by("code")[:2]
    assert in_scope(street_staff, first) and not in_scope(street_staff, second)


def test_demo_data_is_refused_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError):
        call_command("load_demo")
