"""Generated requests against every GET of the API's own OpenAPI schema (schemathesis,
in process over ASGI, on the seeded article): no request makes the server fail, and
every answer is one the schema describes (status, content type, headers, body).

Bounded: a few examples per operation and a deadline per example, so the suite stays
quick; the generated values still reach the checks of every parameter.
"""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis import BaseSchema
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.pytest import from_fixture

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="session")
def api_schema(seeded_api: TestClient) -> BaseSchema:
    return schemathesis.openapi.from_asgi("/openapi.json", seeded_api.app)


schema = from_fixture("api_schema").include(method="GET")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_get_answers_as_its_schema_says(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS)
