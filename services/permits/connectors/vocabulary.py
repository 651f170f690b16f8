"""One status vocabulary for every agency; each adapter maps its agency's own statuses onto it.

Canonical statuses (what a connector may report about an application at the agency):

- ``received``, ``in_review``: still working — a ``Pending``; the workflow does not move.
- ``needs_correction``: the agency wants the applicant to fix something -> ``agency_return``.
- ``approved`` -> ``agency_approve``; ``rejected`` -> ``agency_reject`` (a ``Decision``).
- ``pending_payment``, ``paid``, ``cancelled``: facts some back-offices report; they are
  recorded but do not drive the MPP workflow (payment and cancellation are the MPP's own
  actions), so they are ``Pending`` too.

An adapter declares its mapping as data, e.g. SiCantik-like
``{"DITERIMA": "received", "PROSES": "in_review", "BTL": "needs_correction",
"TERBIT": "approved", "TOLAK": "rejected"}``; ``map_status`` looks a status up (trimmed,
case-insensitive) and refuses one it does not know rather than guess.
"""
from dataclasses import asdict, dataclass, field

from services.common import clock as clk
from services.common.errors import ValidationFailed

CANONICAL_STATUSES = ("received", "in_review", "needs_correction", "approved", "rejected",
                      "pending_payment", "paid", "cancelled")
DECISION_OUTCOMES = ("approved", "rejected", "needs_correction")
PENDING_STATUSES = tuple(s for s in CANONICAL_STATUSES if s not in DECISION_OUTCOMES)

#: The workflow action a decision outcome drives (taken with role ``connector``).
ACTION_FOR_OUTCOME = {"approved": "agency_approve", "rejected": "agency_reject",
                      "needs_correction": "agency_return"}

LABELS = {
    "received": ("Diterima instansi", "Received by the agency"),
    "in_review": ("Sedang diperiksa instansi", "In review at the agency"),
    "needs_correction": ("Perlu perbaikan", "Needs correction"),
    "approved": ("Disetujui instansi", "Approved by the agency"),
    "rejected": ("Ditolak instansi", "Rejected by the agency"),
    "pending_payment": ("Menunggu pembayaran", "Pending payment"),
    "paid": ("Sudah dibayar", "Paid"),
    "cancelled": ("Dibatalkan instansi", "Cancelled by the agency"),
}


def _key(status):
    return status.strip().casefold()


def check_mapping(agency_mapping):
    """The mapping with normalised keys, or ``ValueError`` (a configuration bug)."""
    normalised = {}
    for agency_status, canonical in agency_mapping.items():
        if not isinstance(agency_status, str) or not agency_status.strip():
            raise ValueError("agency statuses are non-empty strings")
        if canonical not in CANONICAL_STATUSES:
            raise ValueError("{!r} maps to non-canonical {!r}".format(agency_status, canonical))
        key = _key(agency_status)
        if key in normalised and normalised[key] != canonical:
            raise ValueError("{!r} maps to two statuses".format(agency_status))
        normalised[key] = canonical
    return normalised


def map_status(agency_mapping, agency_status):
    """The canonical status for ``agency_status``, or ``ValidationFailed`` if unmapped."""
    mapping = check_mapping(agency_mapping)
    if isinstance(agency_status, str) and _key(agency_status) in mapping:
        return mapping[_key(agency_status)]
    raise ValidationFailed(
        "Status instansi tidak dikenal / Unknown agency status",
        {"fields": {"status": ["Status '{}' tidak dikenal / Status '{}' is not mapped.".format(
            agency_status, agency_status)]}})


def label(status):
    return "{} / {}".format(*LABELS[status])


@dataclass(frozen=True)
class Decision:
    """The agency decided: ``outcome`` in ``DECISION_OUTCOMES``."""

    outcome: str
    note: str = None
    reference: str = None          # the agency's own number for the case or decision
    agency_status: str = None      # what the agency said, before mapping
    fields: tuple = field(default_factory=tuple)  # what to correct (needs_correction)
    decided_at: str = None         # UTC ISO-8601

    def __post_init__(self):
        if self.outcome not in DECISION_OUTCOMES:
            raise ValueError("outcome must be one of {}".format(DECISION_OUTCOMES))
        if self.outcome in ("rejected", "needs_correction") and not (self.note or "").strip():
            raise ValueError("a rejection or a return needs a note")
        object.__setattr__(self, "fields", tuple(self.fields))

    @property
    def action(self):
        return ACTION_FOR_OUTCOME[self.outcome]

    def to_dict(self):
        return dict(asdict(self), kind="decision", fields=list(self.fields))


@dataclass(frozen=True)
class Pending:
    """Not decided yet; ask again (``retry_after_seconds``) or wait for the callback."""

    status: str = "in_review"
    note: str = None
    reference: str = None
    agency_status: str = None
    retry_after_seconds: int = None

    def __post_init__(self):
        if self.status not in PENDING_STATUSES:
            raise ValueError("status must be one of {}".format(PENDING_STATUSES))

    def to_dict(self):
        return dict(asdict(self), kind="pending")


def from_canonical(status, note=None, reference=None, agency_status=None, fields=(),
                   decided_at=None):
    """``Decision`` or ``Pending`` for a canonical status (as mapped from the agency's)."""
    if status in DECISION_OUTCOMES:
        return Decision(outcome=status, note=note, reference=reference,
                        agency_status=agency_status, fields=tuple(fields),
                        decided_at=clk.iso(decided_at) if decided_at else None)
    return Pending(status=status, note=note, reference=reference, agency_status=agency_status)


def result_from_dict(data):
    """Inverse of ``Decision.to_dict`` / ``Pending.to_dict`` (over RPC/events)."""
    data = dict(data)
    kind = data.pop("kind", None)
    if kind == "decision":
        return Decision(**dict(data, fields=tuple(data.get("fields") or ())))
    if kind == "pending":
        return Pending(**data)
    raise ValueError("not a connector result")
