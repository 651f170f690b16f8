"""Survey tokens, complaint statuses, the LAPOR! row and the statistics' percentiles."""
from datetime import datetime, timezone
from pathlib import Path

import pytest

from services.common.errors import IllegalTransition, NotFound
from services.common.workdays import WorkingCalendar, add_working_days
from services.feedback import complaints, stats, surveys

WEB = Path(__file__).resolve().parents[3] / "services" / "gateway" / "web"


def test_tokens_are_derived_unguessable_and_stored_hashed():
    token = surveys.token_for("secret-one", "T-1")
    assert token == surveys.token_for("secret-one", "T-1")  # a redelivery invites the same
    assert token != surveys.token_for("secret-two", "T-1")
    assert token != surveys.token_for("secret-one", "T-2")
    assert len(token) == 43 and surveys.check_token(token) == surveys.token_hash(token)
    assert surveys.token_hash(token) != token
    for forged in ("", "T-1", "x" * 42, "x" * 44, "../" + "x" * 40, None, {"$gt": ""}):
        with pytest.raises(NotFound):
            surveys.check_token(forged)
    assert surveys.survey_url("https://mpp/survey", token) == "https://mpp/survey#t=" + token


def test_complaint_statuses_move_forward_only():
    assert complaints.transition("received", "in_progress") == "in_progress"
    assert complaints.transition("received", "answered") == "answered"
    assert complaints.transition("answered", "in_progress") == "in_progress"  # reopened
    assert complaints.transition("answered", "closed") == "closed"
    for old, new in (("closed", "in_progress"), ("in_progress", "received"),
                     ("closed", "answered")):
        with pytest.raises(IllegalTransition):
            complaints.transition(old, new)


def test_the_response_is_due_five_working_days_later_on_the_permits_calendar():
    # filed Thursday 2026-03-12 10:00 WIB; Nyepi (Thu 19) is a public holiday, Fri 20 a
    # cuti bersama in the editable list (Idul Fitri falls on the weekend of 21-22):
    # Fri 13, Mon 16, Tue 17, Wed 18, Mon 23 -> due at the end of Monday 23 March
    filed = datetime(2026, 3, 12, 3, 0, tzinfo=timezone.utc)
    calendar = WorkingCalendar(days_off={"2026-03-20"})
    due = add_working_days(filed, complaints.RESPONSE_WORKING_DAYS, calendar)
    assert due == datetime(2026, 3, 23, 17, 0, tzinfo=timezone.utc)  # 24 Mar 00:00 WIB


def test_the_lapor_row_has_what_lapor_needs_and_nothing_personal():
    at = datetime(2026, 3, 12, 3, 0, tzinfo=timezone.utc)
    row = complaints.lapor_row({
        "_id": "PGD-1", "kind": "pengaduan", "text": "Antrean " * 30, "agency": "samsat",
        "service_id": "samsat-pkb", "service_name": "Pajak Kendaraan", "reference": "T-1",
        "status": "received", "received_at": at, "due_at": at, "occurred_on": "2026-03-11",
        "contact": {"phone": "+6281100000001"}, "nik": "6203015708900001"}, "MPP Kapuas")
    assert tuple(row) == complaints.LAPOR_FIELDS
    assert len(row["judul"]) <= 80 and row["judul"].endswith("…")
    assert row["tanggal_diterima"] == "2026-03-12T03:00:00Z" and row["anonim"] is True
    assert "+6281100000001" not in repr(row) and "6203015708900001" not in repr(row)


def test_percentiles_and_durations():
    values = [60, 120, 180, 240, 300, 360, 420, 480, 540, 1200]
    assert stats.percentile(values, 90) == 540  # rank ceil(9.0) = 9
    assert stats.percentile([5], 90) == 5 and stats.percentile([], 90) is None
    assert stats.durations(values) == {"count": 10, "average_seconds": 390.0,
                                       "p90_seconds": 540.0}
    assert stats.percent(1, 3) == "33.3" and stats.percent(0, 0) is None


@pytest.mark.parametrize("script", ["survey.js", "statistics.js"])
def test_pages_write_text_never_html(script):
    # what citizens typed and what the API returned is shown with textContent / text nodes
    source = (WEB / "static" / script).read_text()
    assert "innerHTML" not in source and "insertAdjacentHTML" not in source
    assert "document.write" not in source


def test_csv_cells_never_run_as_spreadsheet_formulas():
    from services.feedback.spreadsheet import to_csv

    text = to_csv([{"a": '=HYPERLINK("http://x","klik")', "b": 3, "c": None},
                   {"a": "@SUM(A1)", "b": -1.5, "c": "biasa, dengan koma"}], ("a", "b", "c"))
    lines = text.split("\r\n")
    assert lines[0] == "a,b,c"
    assert lines[1] == '"\'=HYPERLINK(""http://x"",""klik"")",3,'
    assert lines[2] == "'@SUM(A1),-1.5,\"biasa, dengan koma\""
