import hashlib
from datetime import date, datetime, timezone
from urllib.parse import parse_qs, urlparse

import pytest

from services.permits import issuance

ISSUED = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc)
VERSION = {"permit_type_id": "pbg", "version": 2, "agency": "dpmptsp",
           "name": "Persetujuan Bangunan Gedung", "name_en": "Building approval"}
HOLDER = {"name": "Siti Aminah", "nik": "6203015708900001"}
BASE = "https://mpp.kapuaskab.go.id/verify"


@pytest.fixture(scope="module")
def key():
    return issuance.generate_key()


@pytest.fixture(scope="module")
def permit(key):
    record = issuance.build_record(issuance.permit_number("dpmptsp", 2026, 7), VERSION,
                                   "Dinas Penanaman Modal dan PTSP", ISSUED, date(2031, 3, 1),
                                   key)
    return issuance.issue(key, record, HOLDER, BASE, [("Luas lantai (m²)", "120"),
                                                      ("Alamat – lokasi", "Jl. Tambun Bungai")])


def test_permit_numbers():
    assert issuance.permit_number("dpmptsp", 2026, 7) == "503/0007/DPMPTSP/2026"
    assert issuance.permit_number("dpmptsp", 2026, 12345) == "503/12345/DPMPTSP/2026"
    assert issuance.parse_permit_number("503/0007/DPMPTSP/2026") == {
        "classification": "503", "seq": 7, "agency": "dpmptsp", "year": 2026}
    for bad in ("503/7/DPMPTSP/2026", "DPMPTSP-2026-000007", "503/0007/dpmptsp/2026", None):
        assert issuance.parse_permit_number(bad) is None
    for args in (("dp/x", 2026, 1), ("dpmptsp", 2026, 0), ("dpmptsp", 26, 1)):
        with pytest.raises(ValueError):
            issuance.permit_number(*args)


def test_record_has_no_personal_data(permit):
    record = permit["record"]
    assert set(record) == {"v", "permit_number", "agency", "agency_name", "permit_type_id",
                           "permit_type_version", "title", "title_en", "issued_at",
                           "valid_from", "valid_until", "key_id"}
    text = repr(record)
    assert HOLDER["nik"] not in text and "Siti" not in text
    assert record["issued_at"] == "2026-03-02T03:00:00Z" and record["valid_from"] == "2026-03-02"


def test_pdf_and_qr(permit):
    pdf = permit["pdf"]
    assert pdf.startswith(b"%PDF-") and permit["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    query = parse_qs(urlparse(permit["verify_url"]).query)
    assert query == {"n": ["503/0007/DPMPTSP/2026"], "h": [permit["record_sha256"]]}
    assert permit["verify_url"].startswith(BASE + "?")
    assert b"/Subtype /Image" in pdf


def test_rendering_is_deterministic(key, permit):
    again = issuance.issue(key, permit["record"], HOLDER, BASE,
                           [("Luas lantai (m²)", "120"), ("Alamat – lokasi", "Jl. Tambun Bungai")])
    assert again["pdf"] == permit["pdf"] and again["signature"] == permit["signature"]


def test_authentic_permit_verifies(key, permit):
    stored = {k: v for k, v in permit.items() if k != "pdf"}
    assert issuance.verify_permit([key.public_key()], stored, permit["pdf"])
    assert issuance.verify_permit({permit["key_id"]: key.public_key()}, stored)


def test_one_byte_in_the_pdf_breaks_it(key, permit):
    pdf = bytearray(permit["pdf"])
    for position in (0, len(pdf) // 2, len(pdf) - 1):
        altered = bytearray(pdf)
        altered[position] ^= 0x01
        assert not issuance.verify_permit([key.public_key()], permit, bytes(altered))
    assert not issuance.verify_permit([key.public_key()], permit, bytes(pdf) + b"\n")


@pytest.mark.parametrize("field,value", [("permit_number", "503/0008/DPMPTSP/2026"),
                                         ("valid_until", "2036-03-01"), ("agency", "dpmptsp "),
                                         ("permit_type_version", 3), ("title", "PBG!")])
def test_one_change_in_the_record_breaks_it(key, permit, field, value):
    forged = dict(permit, record=dict(permit["record"], **{field: value}))
    assert not issuance.verify_permit([key.public_key()], forged)
    # even when the forger also recomputes the record hash
    forged["record_sha256"] = issuance.record_sha256(forged["record"])
    assert not issuance.verify_permit([key.public_key()], forged)


def test_signature_and_key_checks(key, permit):
    other = issuance.generate_key()
    assert not issuance.verify_permit([other.public_key()], permit)
    sig = permit["signature"]
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    assert not issuance.verify_permit([key.public_key()], dict(permit, signature=flipped))
    assert not issuance.verify_permit([key.public_key()], dict(permit, signature="!!"))
    assert not issuance.verify_permit([key.public_key()], {"record": {}})
    with pytest.raises(ValueError):
        issuance.issue(other, permit["record"], HOLDER, BASE)


def test_keys_round_trip_as_pem(key):
    pem = issuance.private_key_to_pem(key)
    again = issuance.private_key_from_pem(pem)
    public = issuance.public_key_from_pem(issuance.public_key_pem(key))
    assert issuance.key_id(again) == issuance.key_id(public) == issuance.key_id(key)
    assert len(issuance.key_id(key)) == 16


@pytest.mark.parametrize("now,revoked_at,qr_hash,expected", [
    (datetime(2027, 1, 1, tzinfo=timezone.utc), None, None, "valid"),
    (datetime(2031, 3, 1, 16, 59, tzinfo=timezone.utc), None, None, "valid"),  # 23:59 WIB
    (datetime(2031, 3, 1, 17, 0, tzinfo=timezone.utc), None, None, "expired"),  # 2 March WIB
    (datetime(2027, 1, 1, tzinfo=timezone.utc), datetime(2026, 12, 1, tzinfo=timezone.utc),
     None, "revoked"),
    (datetime(2026, 11, 1, tzinfo=timezone.utc), datetime(2026, 12, 1, tzinfo=timezone.utc),
     None, "valid"),
    (datetime(2027, 1, 1, tzinfo=timezone.utc), None, "0" * 64, "unknown"),
])
def test_public_status(key, permit, now, revoked_at, qr_hash, expected):
    qr_hash = qr_hash if qr_hash is not None else permit["record_sha256"]
    assert issuance.public_status(permit, now, [key.public_key()], qr_hash,
                                  revoked_at) == expected


def test_unknown_and_tampered_are_unknown(key, permit):
    now = datetime(2027, 1, 1, tzinfo=timezone.utc)
    assert issuance.public_status(None, now, [key.public_key()]) == "unknown"
    forged = dict(permit, record=dict(permit["record"], valid_until=None))
    assert issuance.public_status(forged, now, [key.public_key()]) == "unknown"


def test_public_view_reveals_no_personal_data(permit):
    view = issuance.public_view(permit, "valid")
    assert view["status_label"] == "Izin sah dan berlaku / Valid permit"
    assert view["permit_number"] == "503/0007/DPMPTSP/2026"
    assert "Siti" not in repr(view) and HOLDER["nik"] not in repr(view)
    assert issuance.public_view(None, "unknown") == {
        "status": "unknown", "status_label": "Izin tidak dikenal / Unknown permit"}


def test_mask_nik():
    assert issuance.mask_nik("6203015708900001") == "6203********0001"
    assert issuance.mask_nik(None) == ""


def test_swapping_the_pdf_and_its_hash_is_caught(key, permit):
    altered = bytearray(permit["pdf"])
    altered[len(altered) // 2] ^= 0x01
    forged = dict(permit, pdf_sha256=hashlib.sha256(bytes(altered)).hexdigest())
    assert not issuance.verify_permit([key.public_key()], forged, bytes(altered))
    assert not issuance.verify_permit([key.public_key()], forged)


@pytest.mark.parametrize("first_day,months,last_day", [
    (date(2026, 3, 2), 60, date(2031, 3, 1)),
    (date(2026, 1, 31), 1, date(2026, 2, 27)),   # 31 Jan + 1 month is 28 Feb
    (date(2027, 12, 15), 1, date(2028, 1, 14)),  # across the year
    (date(2028, 1, 31), 1, date(2028, 2, 28)),   # leap year: 29 Feb, the day before
    (date(2026, 5, 10), None, None),             # no validity: no expiry
    (date(2026, 5, 10), 0, None),
])
def test_last_valid_day(first_day, months, last_day):
    assert issuance.last_valid_day(first_day, months) == last_day
