"""Promise against practice, the permits' part, on the real broker and database under a
clock the test moves: decisions within and past their SLA, the fees charged and the slowest
steps, per permit type and month."""
from datetime import datetime, timezone

import pytest

from services.common.clock import FixedClock
from services.common.errors import ValidationFailed
from tests.integration.permits.conftest import filing, staff

# Tuesday 1 December 2026, 09:00 WIB
TUESDAY = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock():
    return FixedClock(TUESDAY)


@pytest.fixture
def permits(clocked):
    return clocked


def test_decisions_in_and_past_their_sla_are_measured_per_permit_type(permits, clock):
    issued, rejected, late = (permits.permits.file_application(filing("sip"))["application_id"]
                              for _ in range(3))
    pending = permits.permits.file_application(filing("pbg"))["application_id"]
    permits.permits.sla_sweep()  # the sweep's first run: it resumes from here
    clock.advance(hours=1)
    staff(permits, issued, "start_intake")
    clock.advance(hours=1)
    staff(permits, issued, "accept")
    staff(permits, rejected, "start_intake")
    clock.advance(hours=1)
    staff(permits, rejected, "reject", note="STR tidak berlaku")
    clock.advance(hours=24)
    staff(permits, issued, "forward")
    clock.advance(hours=48)              # two days at the agency: the slowest step
    staff(permits, issued, "agency_approve")
    staff(permits, issued, "approve", role="supervisor")
    staff(permits, issued, "issue", role="supervisor")
    # the third is never decided: two weeks on, its 5 working days are long gone
    clock.advance(days=14)
    assert permits.permits.sla_sweep()["deemed_approved"] == 1
    assert permits.permits.get_application(late, "dpmptsp")["state"] == "deemed_approved"
    # pbg's 28 working days have not run out: not decided, not measured
    assert permits.permits.get_application(pending, "dpmptsp")["state"] == "submitted"

    report = permits.permits.practice(month="2026-12")
    assert report["month"] == "2026-12"
    [sip] = report["permit_types"]
    assert (sip["permit_type_id"], sip["name"], sip["agency"]) == \
        ("sip", "Surat Izin Praktik Bidan", "dpmptsp")
    assert (sip["decided"], sip["within_sla"], sip["share_within_sla"]) == (3, 2, 0.6667)
    assert sip["promised_working_days"] == [5]
    # rejected the day it was filed (the filing day is free: 0), issued on Friday at noon
    # WIB (Wed, Thu and half of Fri: 2.5), deemed approved two weeks on (12.5)
    assert sip["working_days"] == {"count": 3, "median": 2.5, "p90": 10.5}
    # the issued and the deemed approved one were charged the promised fee, nothing
    assert sip["promised_fees"] == [0] and sip["fees_charged"] == [{"fee": 0, "count": 2}]
    slowest = [(s["label"], s["median_hours"]) for s in sip["slowest_steps"]]
    assert slowest[0] == ("Diproses oleh instansi", 48.0)
    assert slowest[1] == ("Berkas lengkap dan diterima", 25.0)
    assert permits.permits.practice(month="2026-11")["permit_types"] == []
    assert permits.permits.practice()["month"] == "2026-12"  # this month by the MPP's clock


def test_the_agency_filter_and_a_bad_period(permits, clock):
    app = permits.permits.file_application(filing("sip"))["application_id"]
    staff(permits, app, "start_intake")
    staff(permits, app, "reject", note="STR tidak berlaku")
    assert [r["permit_type_id"] for r in
            permits.permits.practice(agency="dpmptsp")["permit_types"]] == ["sip"]
    assert permits.permits.practice(agency="polres")["permit_types"] == []
    for query in ({"month": "2026-1"}, {"agency": "dpmptsp/../x"}):
        with pytest.raises(ValidationFailed) as refused:
            permits.permits.practice(**query)
        assert set(refused.value.fields) == set(query)
