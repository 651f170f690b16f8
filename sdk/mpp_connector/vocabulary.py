"""One status vocabulary for every agency; each connector maps its agency's own words onto it.

Canonical statuses (what a connector may report about an application at the agency):

- ``received``, ``in_review``: still working — a ``Pending``; the workflow does not move.
- ``needs_correction``: the agency wants the applicant to fix something (a ``Decision``: the
  application is returned to the applicant).
- ``approved``, ``rejected``: the agency decided (a ``Decision``).
- ``pending_payment``, ``paid``, ``cancelled``: facts some back offices report; recorded and
  shown to staff, but they do not drive the MPP workflow (payment and cancellation are the
  MPP's own actions), so they are ``Pending`` too.

A connector declares its agency's words as data (its ``status_mapping`` setting), e.g.
SiCantik-like ``{"DITERIMA": "received", "PROSES": "in_review", "BTL": "needs_correction",
"TERBIT": "approved", "TOLAK": "rejected"}``. ``map_status`` looks a word up trimmed and
case-insensitively (``" terbit "`` is ``TERBIT``) and raises ``UnknownAgencyStatus`` for a word
it does not know rather than guess: the runtime retries it and then parks the work with an
alert, so a mapping can be fixed without losing the application.

Pure: no nameko, no database; unit tests and the contract test kit use it directly.
"""
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone

CANONICAL_STATUSES = ("received", "in_review", "needs_correction", "approved", "rejected",
                      "pending_payment", "paid", "cancelled")
DECISION_OUTCOMES = ("approved", "rejected", "needs_correction")
PENDING_STATUSES = tuple(s for s in CANONICAL_STATUSES if s not in DECISION_OUTCOMES)

#: The workflow action a decision outcome drives (taken with role ``connector``).
ACTION_FOR_OUTCOME = {"approved": "agency_approve", "rejected": "agency_reject",
                      "needs_correction": "agency_return"}

#: How often a connector asks its agency again when a mapped status is still pending and the
#: connector gives no interval of its own (its ``poll_seconds`` setting overrides it).
DEFAULT_POLL_SECONDS = 600

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


class UnknownAgencyStatus(Exception):
    """The agency said a word the connector's mapping does not know. Not final: the runtime
    retries (the mapping may be fixed meanwhile) and then parks the work with an alert."""

    def __init__(self, agency_status):
        self.agency_status = agency_status
        super().__init__("Status instansi {!r} belum dipetakan / Agency status {!r} is not "
                         "mapped".format(agency_status, agency_status))


def _key(status):
    return status.strip().casefold()


def check_mapping(agency_mapping):
    """The mapping with normalised keys, or ``ValueError`` (a configuration bug)."""
    normalised = {}
    for agency_status, canonical in (agency_mapping or {}).items():
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
    """The canonical status for ``agency_status``, or ``UnknownAgencyStatus``."""
    mapping = check_mapping(agency_mapping)
    if isinstance(agency_status, str) and _key(agency_status) in mapping:
        return mapping[_key(agency_status)]
    raise UnknownAgencyStatus(agency_status)


def iso(moment):
    """UTC ISO-8601 with a ``Z`` (as the suite writes every timestamp)."""
    return moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def label(status):
    """``"Indonesian / English"`` words for a canonical status."""
    return "{} / {}".format(*LABELS[status])


@dataclass(frozen=True)
class Decision:
    """The agency decided: ``outcome`` in ``DECISION_OUTCOMES``."""

    outcome: str
    note: str = None
    reference: str = None          # the agency's own number for the case or decision
    agency_status: str = None      # what the agency said, before mapping (shown to staff)
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
    """Not decided yet.

    ``retry_after_seconds``: ask the agency again after that long. ``callback=True``: stop
    asking, the decision arrives another way (the agency's signed callback, or officers in the
    MPP console). A ``Pending`` with neither is asked again after the default interval: work is
    never silently dropped."""

    status: str = "in_review"
    note: str = None
    reference: str = None
    agency_status: str = None
    retry_after_seconds: float = None
    callback: bool = False

    def __post_init__(self):
        if self.status not in PENDING_STATUSES:
            raise ValueError("status must be one of {}".format(PENDING_STATUSES))
        if self.retry_after_seconds is not None and not self.retry_after_seconds > 0:
            raise ValueError("retry_after_seconds must be positive")

    def to_dict(self):
        return dict(asdict(self), kind="pending")


def from_canonical(status, note=None, reference=None, agency_status=None, fields=(),
                   decided_at=None, retry_after_seconds=DEFAULT_POLL_SECONDS):
    """``Decision`` or ``Pending`` (polling again after ``retry_after_seconds``) for a
    canonical status."""
    if status in DECISION_OUTCOMES:
        return Decision(outcome=status, note=note, reference=reference,
                        agency_status=agency_status, fields=tuple(fields),
                        decided_at=iso(decided_at) if isinstance(decided_at, datetime)
                        else decided_at)
    return Pending(status=status, note=note, reference=reference, agency_status=agency_status,
                   retry_after_seconds=retry_after_seconds)


def result_from_dict(data):
    """Inverse of ``Decision.to_dict`` / ``Pending.to_dict`` (over RPC/events)."""
    data = dict(data)
    kind = data.pop("kind", None)
    if kind == "decision":
        return Decision(**dict(data, fields=tuple(data.get("fields") or ())))
    if kind == "pending":
        return Pending(**data)
    raise ValueError("not a connector result")
