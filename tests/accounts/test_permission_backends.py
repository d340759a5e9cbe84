"""The portal's own permissions come from the rules, without reading Django's permission tables."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def test_a_staff_page_asks_the_rules_before_the_permission_tables(client_for, people):
    client = client_for(people.district_staff)
    client.get("/needs/queue/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/needs/queue/").status_code == 200
    assert not any('"auth_permission"' in query["sql"] for query in queries)


def test_wagtails_own_permissions_still_come_from_the_groups(client_for, people):
    assert people.editor.has_perm("wagtailadmin.access_admin")
    assert not people.resident.has_perm("wagtailadmin.access_admin")
    assert client_for(people.editor).get("/admin/").status_code in (200, 302)
