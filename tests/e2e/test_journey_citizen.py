"""A citizen's day on a phone, by clicking and typing (tests/e2e/browser/portal_journey.py and
public_journey.py): filing with mistakes, booking a slot, verifying a permit, the public
statistics, survey and complaint forms."""
import datetime

from tests.e2e.browser import harness


def test_filing_mistakes_are_named_beside_their_fields_and_decimals_take_a_comma(base_url):
    r = harness.run("portal_journey:citizen_files_with_mistakes", base_url)
    assert "Rp 150.000" in r["type_info"] and "3 hari kerja" in r["type_info"]
    assert set(r["empty"].values()) == {"Wajib diisi"}
    assert r["wrong_nik"] == "NIK harus 16 angka"
    assert r["wrong_size"] == "Antara 0,5 dan 200"  # the server's message, Indonesian half
    assert r["wrong_size_en"] == "Between 0.5 and 200."
    assert r["kept_after_switch"] == "Jl. Pemuda km 2, Kuala Kapuas"
    assert r["tracking_code"] and r["errors_left"] == 0  # "2,5" went through


def _working_day():
    day = datetime.date.today() + datetime.timedelta(days=2)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day.isoformat()


def test_a_citizen_books_a_slot_with_nik_and_cancels_it(base_url):
    r = harness.run("portal_journey:citizen_books_a_slot", base_url,
                    service_label="Nomor Induk Berusaha (NIB)", day=_working_day())
    assert len(r["booking_code"]) >= 6 and "WIB" in r["booking"]
    assert r["second"].startswith("NIK ini sudah punya booking")
    assert r["early"].startswith("Terlalu awal untuk check-in") and "WIB" in r["early"]
    assert "Booking dibatalkan" in r["cancelled"]


def test_an_unknown_permit_is_said_to_be_unknown(base_url):
    r = harness.run("portal_journey:citizen_verifies_a_permit", base_url)
    assert r["status"].startswith("Izin tidak dikenal")
