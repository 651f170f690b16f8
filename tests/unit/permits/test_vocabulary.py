from datetime import datetime, timezone

import pytest

from services.common.errors import ValidationFailed
from services.permits import workflow
from services.permits.connectors import vocabulary as v

SICANTIK = {"DITERIMA": "received", "PROSES": "in_review", "BTL": "needs_correction",
            "TERBIT": "approved", "TOLAK": "rejected"}


@pytest.mark.parametrize("agency_status,canonical", [
    ("DITERIMA", "received"), ("proses", "in_review"), (" TERBIT ", "approved"),
    ("Tolak", "rejected"), ("BTL", "needs_correction")])
def test_map_status(agency_status, canonical):
    assert v.map_status(SICANTIK, agency_status) == canonical


@pytest.mark.parametrize("unknown", ["SELESAI", "", None, {"$gt": ""}, "TERBIT2"])
def test_unknown_agency_status_refused(unknown):
    with pytest.raises(ValidationFailed) as err:
        v.map_status(SICANTIK, unknown)
    assert "status" in err.value.fields


@pytest.mark.parametrize("mapping", [{"OK": "done"}, {"": "approved"},
                                     {"ok": "approved", "OK": "rejected"}])
def test_bad_mappings_are_configuration_bugs(mapping):
    with pytest.raises(ValueError):
        v.map_status(mapping, "ok")


def test_decision_actions_exist_in_the_workflow():
    for outcome, action in v.ACTION_FOR_OUTCOME.items():
        assert action in workflow.ACTIONS
        assert workflow.allowed_roles("in_process", action) == ("connector",)
    assert set(v.DECISION_OUTCOMES) | set(v.PENDING_STATUSES) == set(v.CANONICAL_STATUSES)
    for status in v.CANONICAL_STATUSES:
        assert " / " in v.label(status)


def test_decision_and_pending():
    d = v.from_canonical("approved", reference="SK-1", agency_status="TERBIT",
                         decided_at=datetime(2026, 3, 5, 2, tzinfo=timezone.utc))
    assert isinstance(d, v.Decision) and d.action == "agency_approve"
    assert d.to_dict() == {"kind": "decision", "outcome": "approved", "note": None,
                           "reference": "SK-1", "agency_status": "TERBIT", "fields": [],
                           "decided_at": "2026-03-05T02:00:00Z"}
    assert v.result_from_dict(d.to_dict()) == d
    p = v.from_canonical("in_review", agency_status="PROSES")
    assert isinstance(p, v.Pending) and p.to_dict()["kind"] == "pending"
    assert v.result_from_dict(p.to_dict()) == p
    r = v.Decision("needs_correction", note="STR kedaluwarsa", fields=["str"])
    assert r.action == "agency_return" and r.fields == ("str",)


def test_invalid_results():
    with pytest.raises(ValueError):
        v.Decision("in_review")
    with pytest.raises(ValueError):
        v.Decision("rejected")
    with pytest.raises(ValueError):
        v.Pending("approved")
    with pytest.raises(ValueError):
        v.result_from_dict({"outcome": "approved"})
