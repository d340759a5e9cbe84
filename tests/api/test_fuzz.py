"""Every API operation fuzzed from the OpenAPI schema, anonymous, as a resident and as staff.

schemathesis generates requests from /api/schema/ (valid and invalid bodies, parameters
and filters) and calls the app in-process. No answer may be a server error, and every
answer (status, content type, body) must be one the schema documents.
"""

import json
import os
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.config import SchemathesisConfig

from portal.wsgi import application
from tests.factories import NeedFactory, category
from tests.snapshots import remembered

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# Generated examples per operation and role in the fuzzing phase. Every operation and every identity is
# fuzzed in every run; a deep run tries more: FUZZ_DEEP=1 FUZZ_EXAMPLES=50 scripts/test -m fuzz.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

# The coverage phase sends each parameter's boundary values as explicit cases, valid and invalid, and
# probes every path with the methods it does not declare. An ordinary run (and CI) sends the invalid ones
# as staff, the identity whose requests get past the permission checks to the validation; the anonymous
# visitor and the resident are fuzzed without it (they are refused first, and it costs a third of the
# suite's time). A deep run (FUZZ_DEEP=1) sends every case as every identity, with more examples
# (FUZZ_EXAMPLES).
DEEP = bool(os.environ.get("FUZZ_DEEP"))
NEGATIVE = {"unexpected-methods": [], "generation": {"mode": "negative"}}
OPENAPI = json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), cls=DjangoJSONEncoder))


def _schema(coverage):
    loaded = schemathesis.openapi.from_dict(
        OPENAPI, config=SchemathesisConfig.from_dict({"phases": {"coverage": coverage}})
    )
    loaded.app = application
    return loaded


schema = _schema({} if DEEP else NEGATIVE)
light_schema = schema if DEEP else _schema({"enabled": False})


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes the database connection after each request, as it should in
    production; the test's transaction lives on that connection (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(people, tree):
    """Records for the generated ids to find, in the states that fill optional fields, and a token per role:
    built once a process, written again from their rows for each later test (tests/snapshots.py)."""
    return remembered("fuzz-world", lambda: SimpleNamespace(headers=_world(people, tree))).headers


def _world(people, tree):
    from marketplace.gridlogs.models import GridLog
    from marketplace.needs import services

    community = tree.community_a1
    NeedFactory.create_batch(2, region=community, submitted_by=people.resident)
    NeedFactory.create_batch(2, region=community, submitted_by=None, contact_phone="")
    staff = people.community_staff
    need = {"by": people.resident, "category": category(), "region": community}
    answered = services.submit_need(title="楼道灯坏了", description="三单元楼道灯坏了一周。", **need)
    answered = services.dispatch_need(by=staff, need=answered, department=people.department)
    services.answer_need(by=people.department_officer, need=answered, answer="已更换灯泡。")
    merged = services.submit_need(title="健身器材损坏", description="广场健身器材松动。", **need)
    services.merge_needs(by=staff, needs=[merged], title="广场健身器材更新")
    GridLog.objects.create(grid=tree.grid_a1, author=people.grid_worker, date="2026-11-01", summary="走访")
    # Claims in several states and bids, one of them selected (public), the other private.
    from marketplace.adoptions import services as adoptions
    from tests.factories.adoptions import bid_payload
    from tests.factories.projects import published_project

    project = published_project(community)
    claim = {"by": people.resident, "project": project}
    adoptions.claim_project(mode="fund", amount=10_000, **claim)
    adoptions.approve_adoption(by=staff, adoption=adoptions.claim_project(mode="volunteer", hours=3, **claim))
    selected = adoptions.submit_bid(by=people.ngo_member, project=project, **bid_payload(people.ngo))
    adoptions.submit_bid(by=people.other_ngo_member, project=project, **bid_payload(people.other_ngo))
    adoptions.select_bid(by=staff, bid=selected, reason="方案最完整")
    return {
        "anonymous": {},
        "resident": {"Authorization": f"Token {Token.objects.create(user=people.resident).key}"},
        "staff": {"Authorization": f"Token {Token.objects.create(user=people.street_staff).key}"},
    }


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_answers_as_documented(case, world):
    """As staff, with the invalid boundary cases of the coverage phase."""
    case.call_and_validate(headers=world["staff"], checks=CHECKS)


@pytest.mark.parametrize("role", ["anonymous", "resident"])
@light_schema.parametrize()
@FUZZ_SETTINGS
def test_api_answers_as_documented_to_the_public(case, role, world):
    case.call_and_validate(headers=world[role], checks=CHECKS)
