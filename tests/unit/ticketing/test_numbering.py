from datetime import date, datetime, timezone

import pytest

from services.ticketing import numbering

UTC = timezone.utc


@pytest.mark.parametrize("instant,day", [
    (datetime(2026, 11, 27, 16, 59, tzinfo=UTC), "2026-11-27"),   # 23:59 WIB
    (datetime(2026, 11, 27, 17, 1, tzinfo=UTC), "2026-11-28"),    # 00:01 WIB, UTC still 27th
    (datetime(2026, 11, 27, 17, 0, tzinfo=UTC), "2026-11-28"),    # local midnight exactly
    (datetime(2026, 11, 27, 0, 30, tzinfo=UTC), "2026-11-27"),
])
def test_service_day_is_the_wib_day(instant, day):
    assert numbering.service_day(instant) == day


def test_service_day_in_another_zone():
    # 16:30Z is 00:30 WITA (UTC+8) on the next day, still 23:30 WIB
    instant = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)
    assert numbering.service_day(instant, "Asia/Makassar") == "2026-11-28"
    assert numbering.service_day(instant, "Asia/Jakarta") == "2026-11-27"


def test_day_bounds_are_local_midnights_in_utc():
    start, end = numbering.day_bounds("2026-11-28")
    assert start == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    assert numbering.day_bounds(date(2026, 11, 28)) == (start, end)


@pytest.mark.parametrize("prefix,seq,number", [
    ("A", 1, "A-001"), ("B", 14, "B-014"), ("A", 999, "A-999"), ("AB", 1000, "AB-1000"),
])
def test_ticket_number(prefix, seq, number):
    assert numbering.ticket_number(prefix, seq) == number


@pytest.mark.parametrize("seq", [0, -1, "1", None])
def test_ticket_number_refuses_bad_sequence(seq):
    with pytest.raises(ValueError):
        numbering.ticket_number("A", seq)
