"""The OASIS STIX 2.1 validator as a test check: any test that makes STIX calls it.

`assert_valid_stix` fails with the validator's own messages on any error; warnings are
returned by `stix_warnings` for tests that pin them (dtix's deterministic UUIDv5 ids give
the one expected warning, {103}, see docs/stix.md).
"""

import json
from typing import Any

import pytest
from stix2validator import ValidationOptions, validate_string
from stix2validator.validator import ObjectValidationResults

_OPTIONS: dict[str, Any] = {"version": "2.1", "silent": True}


def _results(bundle_json: str) -> list[ObjectValidationResults]:
    found = validate_string(bundle_json, ValidationOptions(**_OPTIONS))
    return found if isinstance(found, list) else [found]


def assert_valid_stix(bundle_json: str) -> None:
    """Fail, quoting the OASIS validator, unless `bundle_json` is valid STIX 2.1."""
    assert json.loads(bundle_json).get("type") == "bundle", "not a STIX bundle"
    results = _results(bundle_json)
    errors = [f"{r.object_id}: {e}" for r in results for e in r.errors]
    if errors or not all(r.is_valid for r in results):
        pytest.fail("the OASIS STIX validator reports errors:\n" + "\n".join(errors))


def stix_warnings(bundle_json: str) -> list[str]:
    """The validator's warnings ("<id>: {code} message") for a bundle."""
    return [str(w) for r in _results(bundle_json) for w in (r.warnings or [])]
