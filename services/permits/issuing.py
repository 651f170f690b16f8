"""Issuing permits and answering for them: the permit number, the signed record and its PDF,
public verification. The rules (numbers, records, signatures, the PDF, public status) are in
``issuance``; this module reads and writes them through ``store``."""
import base64
import binascii

from services.common import clock as clk
from services.common.errors import NotFound, ValidationFailed
from services.contracts import messages
from services.permits import issuance, store


def _b64decode(text, field):
    try:
        return base64.b64decode(text or "", validate=True)
    except (binascii.Error, ValueError, TypeError):
        raise ValidationFailed(messages.INVALID_DATA,
                               {"fields": {field: ["Base64 tidak valid / Not valid base64."]}})


def issue(ctx, app):
    """The application's permit number, issuing it (once) if needed."""
    number = store.permit_for_application(ctx.db, app["_id"])
    now = ctx.now()
    if number is None:
        year = clk.local_day(now, ctx.tz).year
        seq = store.claim_permit_number(ctx.db, app["agency"], year, app["_id"])
        number = store.bind_permit(ctx.db, app["_id"],
                                   issuance.permit_number(app["agency"], year, seq))
    if store.get_permit(ctx.db, number) is not None:
        return number
    secrets = ctx.keys
    version = app["permit_type"]
    agency = store.get_agency(ctx.db, app["agency"]) or {}
    nik = secrets.open_nik(app["applicant"]["nik"])
    valid_until = issuance.last_valid_day(clk.local_day(now, ctx.tz),
                                          version.get("validity_months"))
    record = issuance.build_record(number, version, agency.get("name") or app["agency"],
                                   now, valid_until, secrets.signing_key,
                                   issuance.holder_binding(app["applicant"]["name"], nik,
                                                           secrets.sub("holder-nik")))
    labels = {f["name"]: f.get("label") for f in version.get("form", [])}
    details = [(labels.get(k, k), v) for k, v in app["form"].items()]
    issued = issuance.issue(secrets.signing_key, record,
                            {"name": app["applicant"]["name"],
                             "nik": nik},
                            ctx.verify_base_url(), details)
    pdf = issued.pop("pdf")
    store.put_permit(ctx.db, number, issued, pdf, app["_id"])
    return number


def revoke(ctx, number):
    store.revoke_permit(ctx.db, number, clk.to_utc(ctx.now()))


def verify_permit(ctx, number, record_hash=None, pdf_b64=None):
    """``{status: valid|revoked|expired|unknown, ...public view}``; with ``pdf_b64`` the
    PDF must be exactly the one issued (one changed byte: ``unknown``)."""
    permit = store.get_permit(ctx.db, number) if isinstance(number, str) else None
    public = ctx.keys.public_keys(ctx.db)
    status = issuance.public_status(permit, ctx.now(), public, record_hash,
                                    permit.get("revoked_at") if permit else None, ctx.tz)
    if status != "unknown" and pdf_b64 is not None:
        pdf = _b64decode(pdf_b64, "pdf")
        if not issuance.verify_permit(public, permit, pdf):
            status = "unknown"
    return issuance.public_view(permit, status)


def permit_pdf(ctx, number):
    """The permit's PDF, base64 (it names the holder: the gateway decides who may ask)."""
    permit = store.get_permit(ctx.db, number, with_pdf=True) \
        if isinstance(number, str) else None
    if permit is None:
        raise NotFound("Izin tidak ditemukan / Permit not found", {"permit_number": number})
    return base64.b64encode(bytes(permit["pdf"])).decode("ascii")


def public_key(ctx):
    secrets = ctx.keys
    return {"algorithm": "Ed25519", "key_id": secrets.key_id,
            "pem": issuance.public_key_pem(secrets.signing_key).decode(),
            "keys": store.public_keys(ctx.db)}


def permit_summary(ctx, number):
    """What the applicant's status page shows of an issued permit, or ``None``."""
    permit = store.get_permit(ctx.db, number) if number else None
    if permit is None:
        return None
    record = permit["record"]
    return {"permit_number": number, "verify_url": permit["verify_url"],
            "valid_from": record.get("valid_from"), "valid_until": record.get("valid_until"),
            "revoked": bool(permit.get("revoked_at"))}


def verify_url(ctx, number):
    return store.get_permit(ctx.db, number)["verify_url"]
