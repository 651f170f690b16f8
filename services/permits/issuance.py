"""Issuance: the permit number, a signed permit record, its PDF with a QR code, verification.

Permit number: ``503/0007/DPMPTSP/2026`` — archive classification (``503`` is *perizinan* in the
Permendagri classification that regional licensing offices use), the sequence number of the
agency in that year zero-padded to 4 digits (it widens past 9999), the agency code in capitals,
the year. The store hands out the sequence (a unique ``(agency, year, seq)`` insert).

Permit record (public: no NIK, no name, no address — anyone may see it)::

    {"v": 1, "permit_number": "503/0007/DPMPTSP/2026", "agency": "dpmptsp",
     "agency_name": "Dinas …", "permit_type_id": "pbg", "permit_type_version": 1,
     "title": "Persetujuan Bangunan Gedung", "title_en": "Building approval",
     "issued_at": "2026-03-02T03:00:00Z", "valid_from": "2026-03-02",
     "valid_until": "2031-03-02" | None, "key_id": "<16 hex>"}

Signing: ``record_sha256 = sha256(canonical_json(record))`` goes into the QR code and is
printed on the PDF; the PDF is rendered; then the Ed25519 signature covers
``canonical_json({"record": record, "pdf_sha256": sha256(pdf)})``. So one changed byte in the
record or in the PDF breaks verification. (The PDF cannot carry its own hash, so the QR carries
the record's hash, "the document's SHA-256" of the issue.) Revocation is not in the signed
record: it is a later fact the service stores next to it (``revoked_at``).

What the service stores per permit (``issue`` returns it plus the ``pdf`` bytes)::

    {"record": {…}, "record_sha256": hex, "pdf_sha256": hex, "signature": base64url,
     "key_id": "<16 hex>"}
"""
import base64
import hashlib
import hmac
import io
import re
from datetime import date, timedelta
from urllib.parse import urlencode

import segno
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (Ed25519PrivateKey,
                                                                Ed25519PublicKey)
from fpdf import FPDF

from services.common import clock as clk
from services.common.hashchain import canonical_json
from services.common.pdftext import latin as _latin

RECORD_VERSION = 1
DEFAULT_CLASSIFICATION = "503"
STATUSES = ("valid", "revoked", "expired", "unknown")
STATUS_LABELS = {
    "valid": "Izin sah dan berlaku / Valid permit",
    "revoked": "Izin telah dicabut / Permit revoked",
    "expired": "Masa berlaku izin telah habis / Permit expired",
    "unknown": "Izin tidak dikenal / Unknown permit",
}
_AGENCY = re.compile(r"^[A-Za-z][A-Za-z0-9\-]{1,29}$")
_NUMBER = re.compile(r"^(?P<classification>[0-9]{3}(?:\.[0-9]+)*)/(?P<seq>[0-9]{4,})/"
                     r"(?P<agency>[A-Z][A-Z0-9\-]{1,29})/(?P<year>[0-9]{4})$")


# --- numbers -----------------------------------------------------------------------------

def permit_number(agency_code, year, seq, classification=DEFAULT_CLASSIFICATION):
    """``permit_number("dpmptsp", 2026, 7)`` -> ``"503/0007/DPMPTSP/2026"``."""
    if not (isinstance(agency_code, str) and _AGENCY.match(agency_code)):
        raise ValueError("bad agency code")
    if not (isinstance(seq, int) and seq >= 1) or not (isinstance(year, int)
                                                       and 2000 <= year <= 9999):
        raise ValueError("seq must be >= 1 and year four digits")
    return "{}/{:04d}/{}/{}".format(classification, seq, agency_code.upper(), year)


def parse_permit_number(text):
    """``{"classification", "seq", "agency", "year"}`` or ``None`` if it is not a number."""
    match = _NUMBER.match(text) if isinstance(text, str) else None
    if not match:
        return None
    return {"classification": match["classification"], "seq": int(match["seq"]),
            "agency": match["agency"].lower(), "year": int(match["year"])}


# --- keys -------------------------------------------------------------------------------

def generate_key():
    return Ed25519PrivateKey.generate()


def private_key_from_pem(pem, password=None):
    key = serialization.load_pem_private_key(pem, password=password)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return key


def private_key_to_pem(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_key_pem(key):
    """PEM of the public key (of a private or public key), as the gateway publishes it."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def public_key_from_pem(pem):
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id(key):
    """First 16 hex of sha256 of the raw public key: names the key that signed a record."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


# --- record and signature ----------------------------------------------------------------

def add_months(day, months):
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def last_valid_day(first_day, validity_months):
    """The last day (inclusive) a permit valid ``validity_months`` from local ``first_day`` is
    valid, or ``None`` when the permit type sets no validity."""
    if not validity_months:
        return None
    return add_months(first_day, validity_months) - timedelta(days=1)


def mask_holder_name(name):
    """``Siti Aminah`` -> ``Si** Am****``: enough for a verifier to compare with the name on
    the document in front of them, not enough to learn a name from a permit number."""
    words = [w for w in str(name or "").split() if w]
    return " ".join(w if len(w) <= 2 else w[:2] + "*" * (len(w) - 2) for w in words)


def holder_binding(name, nik, key):
    """What the signed record says of its holder: the masked name, and an HMAC of the NIK
    under the permits' holder key (the MPP can tell whether a KTP is the holder's; nobody
    can recover the NIK from a record)."""
    return {"name": mask_holder_name(name),
            "nik_hmac": hmac.new(key, str(nik).encode("utf-8"), hashlib.sha256).hexdigest()}


def build_record(number, version, agency_name, issued_at, valid_until=None, signing_key=None,
                 holder=None):
    """The public permit record for ``version`` (a permit type version) issued at ``issued_at``.

    ``valid_until`` is a local ``date`` (inclusive) or ``None`` for no expiry; ``holder`` the
    ``holder_binding`` (signed with the rest, so a QR copied onto a document with another name
    shows the true holder).
    """
    if issued_at.tzinfo is None:
        raise ValueError("issued_at must be aware")
    return {
        "v": RECORD_VERSION,
        "permit_number": number,
        "agency": version["agency"],
        "agency_name": agency_name,
        "permit_type_id": version["permit_type_id"],
        "permit_type_version": version["version"],
        "title": version["name"],
        "title_en": version.get("name_en") or version["name"],
        "issued_at": clk.iso(issued_at),
        "valid_from": clk.local_day(issued_at).isoformat(),
        "valid_until": valid_until.isoformat() if valid_until else None,
        "key_id": key_id(signing_key) if signing_key is not None else None,
        **({"holder": holder} if holder else {}),
    }


def record_sha256(record):
    return hashlib.sha256(canonical_json(record)).hexdigest()


def _signed_message(record, pdf_sha256):
    return canonical_json({"record": record, "pdf_sha256": pdf_sha256})


def _b64(data):
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(private_key, record, pdf_sha256):
    """Ed25519 signature (base64url, no padding) over the record and the PDF's sha256."""
    return _b64(private_key.sign(_signed_message(record, pdf_sha256)))


def verify_signature(public_key, record, pdf_sha256, signature):
    """Does ``signature`` cover exactly this ``record`` and ``pdf_sha256``."""
    try:
        public_key.verify(_unb64(signature), _signed_message(record, pdf_sha256))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


# --- PDF ---------------------------------------------------------------------------------

def verify_url_for(base_url, number, record_hash):
    """The URL the QR carries: ``<base>?n=<permit number>&h=<record sha256>``."""
    return "{}?{}".format(base_url, urlencode({"n": number, "h": record_hash}))


def mask_nik(nik):
    """``6203015708900001`` -> ``6203********0001``."""
    if not isinstance(nik, str) or len(nik) != 16:
        return ""
    return nik[:4] + "*" * 8 + nik[-4:]


def mask_name(name):
    """``Siti Aminah`` -> ``S*** A*****``: enough for staff to tell rows apart on a shared
    screen, not enough to read the name over a shoulder."""
    if not isinstance(name, str):
        return ""
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())


def render_pdf(record, holder, verify_url, details=()):
    """The permit as PDF bytes (A4), with a QR code carrying ``verify_url``.

    ``holder``: ``{"name", "nik"}`` (printed, NIK masked; the PDF belongs to its holder),
    ``details``: ``[(label, value), …]`` from the form. Deterministic: the same input gives the
    same bytes (the creation date is the issuance instant).
    """
    pdf = FPDF(format="A4")
    pdf.set_creation_date(clk.parse(record["issued_at"]))
    pdf.set_title(_latin(record["permit_number"]))
    pdf.set_producer("MPP Suite")
    pdf.set_creator("MPP Suite")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("Helvetica", "B", 13)
    pdf.multi_cell(width, 7, _latin(record["agency_name"]).upper(), align="C")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, _latin(record["title"]).upper(), align="C")
    pdf.set_font("Helvetica", "I", 11)
    pdf.multi_cell(width, 6, _latin(record["title_en"]), align="C")
    pdf.ln(2)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(width, 6, _latin("Nomor / Number: " + record["permit_number"]), align="C")
    pdf.ln(6)

    rows = [("Nama pemegang / Holder", holder.get("name")),
            ("NIK", mask_nik(holder.get("nik")))]
    rows += [(label, value) for label, value in details]
    rows += [("Tanggal terbit / Issued", record["valid_from"]),
             ("Berlaku sampai / Valid until", record["valid_until"] or
              "Tidak terbatas / No expiry")]
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(70, 6, _latin(label))
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width - 70, 6, _latin(value if value is not None else "-"))
    pdf.ln(8)

    qr = segno.make(verify_url, error="m")
    image = io.BytesIO()
    qr.save(image, kind="png", scale=4, border=2)
    image.seek(0)
    top = pdf.get_y()
    pdf.image(image, x=pdf.l_margin, y=top, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 45, top)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(width - 45, 4, _latin(
        "Dokumen ini ditandatangani secara elektronik. Pindai kode QR atau buka {url} untuk "
        "memeriksa keabsahannya. / This document is signed electronically. Scan the QR code "
        "or open the address to verify it.\nSHA-256: {h}\nKunci / Key: {k}".format(
            url=verify_url, h=record_sha256(record), k=record.get("key_id"))))
    return bytes(pdf.output())


# --- issue and verify ---------------------------------------------------------------------

def issue(private_key, record, holder, verify_base_url, details=()):
    """Sign and render: ``{"record", "record_sha256", "pdf_sha256", "signature", "key_id",
    "verify_url", "pdf"}``. ``record["key_id"]`` must name ``private_key``."""
    if record.get("key_id") != key_id(private_key):
        raise ValueError("record key_id does not name the signing key")
    digest = record_sha256(record)
    url = verify_url_for(verify_base_url, record["permit_number"], digest)
    pdf = render_pdf(record, holder, url, details)
    pdf_hash = hashlib.sha256(pdf).hexdigest()
    return {"record": record, "record_sha256": digest, "pdf_sha256": pdf_hash,
            "signature": sign(private_key, record, pdf_hash), "key_id": record["key_id"],
            "verify_url": url, "pdf": pdf}


def _key_for(public_keys, kid):
    if isinstance(public_keys, dict):
        return public_keys.get(kid)
    for key in public_keys:
        if key_id(key) == kid:
            return key
    return None


def verify_permit(public_keys, permit, pdf=None):
    """Is the stored ``permit`` authentic (and, with ``pdf`` bytes, is this its PDF).

    ``public_keys``: ``{key_id: public key}`` or a list of public keys (rotation keeps old ones).
    """
    try:
        record = permit["record"]
        key = _key_for(public_keys, record.get("key_id"))
        if key is None or permit.get("record_sha256") != record_sha256(record):
            return False
        if pdf is not None and hashlib.sha256(bytes(pdf)).hexdigest() != permit["pdf_sha256"]:
            return False
        return verify_signature(key, record, permit["pdf_sha256"], permit["signature"])
    except (KeyError, TypeError, ValueError):
        return False


def public_status(permit, now, public_keys, record_hash=None, revoked_at=None, tz_name=None):
    """``valid`` | ``revoked`` | ``expired`` | ``unknown`` for a verifier at ``now``.

    ``permit`` is the stored permit (``None`` when the number is not on file); ``record_hash``
    the hash the QR carried, if any; ``revoked_at`` the revocation instant, if revoked. A record
    that does not verify, or a QR hash that does not match, is ``unknown``: we vouch for nothing.
    """
    if permit is None or not verify_permit(public_keys, permit):
        return "unknown"
    if record_hash is not None and record_hash != permit["record_sha256"]:
        return "unknown"
    if revoked_at is not None and clk.to_utc(revoked_at) <= clk.to_utc(now):
        return "revoked"
    until = permit["record"].get("valid_until")
    if until is not None and clk.local_day(now, tz_name).isoformat() > until:
        return "expired"
    return "valid"


def public_view(permit, status):
    """What the public verification endpoint answers: no personal data."""
    view = {"status": status, "status_label": STATUS_LABELS[status]}
    if status == "unknown" or permit is None:
        return view
    record = permit["record"]
    view.update({k: record[k] for k in ("permit_number", "agency", "agency_name", "title",
                                        "title_en", "issued_at", "valid_from", "valid_until")})
    view["record_sha256"] = permit["record_sha256"]
    if record.get("holder"):
        view["holder"] = record["holder"]["name"]
    return view
