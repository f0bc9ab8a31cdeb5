"""openapi.yaml is the contract: it must be exactly what the app generates."""

from __future__ import annotations

from pathlib import Path

import orjson
import yaml
from flask import Flask

from cms.config import PROJECT_ROOT

OPENAPI = PROJECT_ROOT / "openapi.yaml"


def generated(app: Flask) -> dict:
    # Round-trip through JSON so tuples and lazy objects compare as the YAML file does.
    return orjson.loads(
        orjson.dumps(app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict())
    )


def test_committed_openapi_matches_the_app(app: Flask):
    committed = yaml.safe_load(Path(OPENAPI).read_text("utf-8"))
    assert committed == generated(app), "openapi.yaml is stale: run `make openapi`"


def test_served_openapi_json_matches_the_committed_file(app: Flask):
    served = app.test_client().get("/openapi.json").get_json()
    assert served == yaml.safe_load(OPENAPI.read_text("utf-8"))


def test_every_error_response_is_documented_as_problem_json(app: Flask):
    responses = generated(app)["components"]["responses"]
    for name, response in responses.items():
        if "content" in response:
            assert list(response["content"]) == ["application/problem+json"], name


def test_every_operation_has_a_summary_and_a_tag(app: Flask):
    for path, item in generated(app)["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            assert operation.get("summary"), f"{method.upper()} {path}"
            assert operation.get("tags"), f"{method.upper()} {path}"


def test_interactive_docs_are_served(app: Flask):
    client = app.test_client()
    for path in ("/docs", "/redoc"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"openapi.json" in response.data
