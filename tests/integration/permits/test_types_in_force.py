"""The catalogue lists the permit types in force today, the ones a citizen can file: a type
that starts in 2099 is not listed (and filing it is "not found"), and an admin retires a type
from a date: from that day it leaves the list and cannot be filed, while applications filed
before keep going."""
from datetime import datetime, timedelta, timezone

import pytest

from services.common.errors import NotFound, ValidationFailed
from services.permits import sla
from tests.integration.permits.conftest import filing, staff


def _today():
    return datetime.now(timezone.utc).astimezone(sla.clk.zone()).date()


def _listed(permits):
    return {t["id"] for t in permits.permits.list_permit_types("dpmptsp")}


def test_a_type_that_starts_in_2099_is_not_in_force_today(permits):
    permits.permits.upsert_permit_type({
        "permit_type_id": "izin-masa-depan", "version": 1, "agency": "dpmptsp",
        "name": "Izin Masa Depan", "effective_from": "2099-01-01", "sla_working_days": 5,
        "fee": 0, "approval_levels": 0, "connector": "manual",
        "requirements": [{"kind": "ktp", "name": "KTP"}], "form": []})
    assert "izin-masa-depan" not in _listed(permits) and "sip" in _listed(permits)
    with pytest.raises(NotFound):
        permits.permits.file_application(dict(filing("sip"), permit_type_id="izin-masa-depan",
                                              form={}))


def test_a_type_retired_from_today_leaves_the_list_and_cannot_be_filed(permits):
    before = permits.permits.file_application(filing("sip"))["application_id"]
    tomorrow = (_today() + timedelta(days=1)).isoformat()
    retired = permits.permits.retire_permit_type("sip", {"retired_from": tomorrow})
    assert retired["retired_from"] == tomorrow
    assert "sip" in _listed(permits)  # still in force today

    permits.permits.retire_permit_type("sip", {"retired_from": _today().isoformat()})
    assert "sip" not in _listed(permits) and "pbg" in _listed(permits)
    with pytest.raises(NotFound):
        permits.permits.file_application(filing("sip"))
    # what was filed before goes on
    assert staff(permits, before, "start_intake")["state"] == "intake_check"


def test_retiring_needs_a_date_and_a_type_that_exists(permits):
    with pytest.raises(ValidationFailed):
        permits.permits.retire_permit_type("sip", {"retired_from": "besok"})
    with pytest.raises(NotFound):
        permits.permits.retire_permit_type("tidak-ada", {"retired_from": "2030-01-01"})
