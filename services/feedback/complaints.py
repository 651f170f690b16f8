"""Complaints, suggestions and input (*pengaduan, saran, masukan*): statuses and the export
an operator forwards to SP4N-LAPOR!. Pure rules, no I/O.

Statuses: ``received -> in_progress -> answered -> closed`` (an answer may come straight from
``received``; an answered complaint may be reopened to ``in_progress``). The response is due
``RESPONSE_WORKING_DAYS`` working days after receipt, on the same working-day calendar as the
permits SLA (``services.common.workdays``).
"""
from services.common import clock as clk
from services.common.errors import IllegalTransition
from services.contracts.feedback import KINDS, STATUSES  # noqa: F401

KIND_EN = {"pengaduan": "complaint", "saran": "suggestion", "masukan": "input"}
RECEIVED, IN_PROGRESS, ANSWERED, CLOSED = "received", "in_progress", "answered", "closed"
TRANSITIONS = {
    RECEIVED: {IN_PROGRESS, ANSWERED, CLOSED},
    IN_PROGRESS: {ANSWERED, CLOSED},
    ANSWERED: {IN_PROGRESS, CLOSED},
    CLOSED: set(),
}
RESPONSE_WORKING_DAYS = 5
STATUS_LABELS = {RECEIVED: "Diterima / Received", IN_PROGRESS: "Diproses / In progress",
                 ANSWERED: "Dijawab / Answered", CLOSED: "Selesai / Closed"}

#: The columns of the LAPOR! export, in order. SP4N-LAPOR!'s report form asks for a title,
#: the report text, a category, the agency it is addressed to, when and where it happened
#: and whether the reporter is anonymous; we add our own id and status so the operator can
#: match LAPOR!'s tracking number back. Never a NIK, name, phone or e-mail: the reporter's
#: contact stays with the MPP, and the export marks every report anonymous to LAPOR!.
LAPOR_FIELDS = ("id", "kategori", "judul", "isi_laporan", "instansi_tujuan", "layanan",
                "referensi", "lokasi", "tanggal_kejadian", "tanggal_diterima", "status",
                "batas_tanggapan", "tanggapan", "anonim", "rahasia")


def transition(old, new):
    if new not in TRANSITIONS.get(old, ()):
        raise IllegalTransition(
            "Status tidak dapat berubah dari {0} ke {1} / Status cannot change from {0} to {1}"
            .format(old, new), {"from": old, "to": new})
    return new


def title_of(text, limit=80):
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[:limit - 1].rstrip() + "…"


def lapor_row(complaint, location):
    """One complaint as SP4N-LAPOR! takes it (see ``LAPOR_FIELDS``)."""
    def when(value):
        return clk.iso(value) if value else None

    return {
        "id": complaint["_id"],
        "kategori": complaint["kind"],
        "judul": title_of(complaint["text"]),
        "isi_laporan": complaint["text"],
        "instansi_tujuan": complaint["agency"],
        "layanan": complaint.get("service_name") or complaint.get("service_id"),
        "referensi": complaint.get("reference"),
        "lokasi": location,
        "tanggal_kejadian": complaint.get("occurred_on"),
        "tanggal_diterima": when(complaint["received_at"]),
        "status": complaint["status"],
        "batas_tanggapan": when(complaint["due_at"]),
        "tanggapan": complaint.get("response"),
        "anonim": True,
        "rahasia": True,
    }
