"""The staff queue's filter and bulk-action fields are kept between requests, and no longer than their options."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.needs.queue_forms import QUEUE_FORMS
from portal.accounts.models import Role
from portal.core.models import Category
from portal.organisations.models import OrganisationKind
from tests.factories import OrganisationFactory, UserFactory, grant
from tests.factories.needs import NeedFactory, category


def _queue(client, **params):
    response = client.get("/needs/queue/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_queue_offers_what_was_added_or_renamed_since_it_was_last_shown(client_for, people, tree):
    NeedFactory(region=tree.grid_a1, category=category())
    client = client_for(people.street_staff)
    first = _queue(client)
    assert people.department.name in first and "新设水务所" not in first
    OrganisationFactory(kind=OrganisationKind.DEPARTMENT, region=tree.district, name="新设水务所")
    grant(UserFactory(username="newgrid", display_name="新来的网格员"), Role.GRID_WORKER, tree.grid_a1)
    Category.objects.create(slug="placemaking-new", name="社区营造新类别", name_en="Placemaking")
    people.department.name = "城市管理局"
    people.department.save()
    people.grid_worker.display_name = "改名的网格员"
    people.grid_worker.save()
    after = _queue(client)
    for added in ("新设水务所", "新来的网格员", "社区营造新类别", "城市管理局", "改名的网格员"):
        assert added in after, added
    assert "城管局" not in after


def test_a_second_view_reads_no_option_again(client_for, people, tree):
    NeedFactory(region=tree.grid_a1, category=category())
    client = client_for(people.street_staff)
    first = _queue(client)
    with CaptureQueriesContext(connection) as queries:
        again = _queue(client)
    assert again.count("<option") == first.count("<option") > 10
    sql = " ".join(query["sql"] for query in queries)
    for table in ("organisations_organisation", "core_category"):
        assert f'FROM "{table}"' not in sql, table
    QUEUE_FORMS.forget()
    with CaptureQueriesContext(connection) as rendered:
        _queue(client)
    assert len(rendered) == len(queries) + 4  # streets, categories, departments, staff


def test_each_staff_member_sees_the_options_of_their_own_scope(client_for, people, tree):
    people.grid_worker.display_name = "甲一网格员王芳"
    people.grid_worker.save()
    a = _queue(client_for(people.street_staff))
    b = _queue(client_for(people.street_staff_b))
    assert tree.street_a.name in a and tree.street_b.name not in a
    assert tree.street_b.name in b and tree.street_a.name not in b
    assert "甲一网格员王芳" in a and "甲一网格员王芳" not in b


def test_a_filter_with_an_error_is_shown_with_it_and_not_kept(client_for, people, tree):
    client = client_for(people.street_staff)
    wrong = _queue(client, region="999999")
    assert "error-summary" in wrong
    assert "error-summary" not in _queue(client)
    chosen = _queue(client, region=str(tree.community_a1.pk))
    assert f'<option value="{tree.community_a1.pk}" selected>' in chosen
    assert f'<option value="{tree.community_a1.pk}" selected>' not in _queue(client)


def test_the_fields_are_kept_per_language(client_for, people, tree):
    from portal.organisations.models import Organisation
    from portal.regions.models import Region

    client = client_for(people.street_staff)
    assert "Urban Management" not in _queue(client)
    # Written without signals: only the language, not a renewal, can make the English page differ.
    Region.objects.filter(pk=tree.street_a.pk).update(name_en="Jia Street")
    Organisation.objects.filter(pk=people.department.pk).update(name_en="Urban Management")
    client.cookies.load({"django_language": "en"})
    english = _queue(client)
    assert "Jia Street" in english and "Urban Management" in english and "城管局" not in english


def test_a_login_does_not_renew_the_kept_fields_and_a_new_name_does(people):
    version = QUEUE_FORMS.version()
    people.grid_worker.save(update_fields=["last_login"])
    assert QUEUE_FORMS.version() == version
    people.grid_worker.display_name = "又改名了"
    people.grid_worker.save()
    assert QUEUE_FORMS.version() != version
