"""Which adopted standard a queue service runs: the newest version already in force."""
from services.ticketing.standard_terms import in_force

RECORDS = [{"version": 1, "effective_from": "2026-01-01", "standard_id": "qs-nib-v1"},
           {"version": 3, "effective_from": "2027-01-01", "standard_id": "qs-nib-v3"},
           {"version": 2, "effective_from": "2026-06-01", "standard_id": "qs-nib-v2"}]


def test_the_newest_version_in_force_is_run_and_a_later_one_waits_for_its_day():
    assert in_force(RECORDS, "2025-12-31") is None
    assert in_force(RECORDS, "2026-05-31")["standard_id"] == "qs-nib-v1"
    assert in_force(RECORDS, "2026-12-31")["standard_id"] == "qs-nib-v2"
    assert in_force(RECORDS, "2027-01-01")["standard_id"] == "qs-nib-v3"
