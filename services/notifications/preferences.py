"""Recipients and their preferences; which channels to try for a message, and when.

Recipient preferences (what ``schemas.PreferencesSchema`` loads and ``normalise`` returns)::

    {
        "phone": "+6281100000001" | None,     # E.164, normalised with phonenumbers (region ID)
        "email": "warga@example.id" | None,
        "webhook_url": "https://..." | None,  # agency systems only
        "language": "id" | "en",
        "channels": ["whatsapp", "sms", "email"],   # order to try; default DEFAULT_ORDER
        "opt_out": ["sms"],                   # channels the person refused (always honoured)
        "quiet_hours": {"start": "21:00", "end": "06:00"} | None,  # MPP local time
    }

Event classes (``EVENT_CLASS``):

- ``critical`` (permit issued, application returned for correction): ignore quiet hours, never
  an opt-out.
- ``realtime`` (queue messages): the citizen is in the building waiting for them and they go
  stale within minutes (``lifecycle.stale_reason``), so deferring to 06:00 would only turn them
  into ``expired``; an MPP serving past 21:00 still calls tickets. They ignore quiet hours too.
- ``optional`` (everything else): deferred until quiet hours end.
"""
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta

from services.common import clock as clk
from services.common.errors import ValidationFailed
from services.contracts.fields import PHONE_MESSAGE
from services.contracts.fields import normalise_phone as e164
from services.contracts.messages import bilingual
from services.notifications import templates

DEFAULT_ORDER = ("whatsapp", "sms", "email")
PERSON_CHANNELS = DEFAULT_ORDER
ALL_CHANNELS = DEFAULT_ORDER + ("webhook",)
LANGUAGES = ("id", "en")
DEFAULT_REGION = "ID"
INVALID_PHONE = "Nomor telepon tidak valid / Invalid phone number"

#: Which contact point each channel needs.
CONTACT_FOR = {"whatsapp": "phone", "sms": "phone", "email": "email", "webhook": "webhook_url"}

CRITICAL, REALTIME, OPTIONAL = "critical", "realtime", "optional"
EVENT_CLASS = {
    "ticket_issued": REALTIME,
    "ticket_near_front": REALTIME,
    "ticket_called": REALTIME,
    "booking_created": OPTIONAL,
    "booking_cancelled": OPTIONAL,
    "application_submitted": OPTIONAL,
    "application_status_changed": OPTIONAL,
    "application_returned": CRITICAL,
    "permit_issued": CRITICAL,
    "application_sla_warning": CRITICAL,  # to an agency system: no quiet hours
    "application_pin_reissued": CRITICAL,  # asked for now, by the citizen
    "survey_invited": OPTIONAL,  # waits for the morning rather than wake anyone
    "connector_suspended": CRITICAL,  # to staff: applications wait until it is resumed
}


def is_critical(event_kind):
    return EVENT_CLASS.get(event_kind) == CRITICAL


def normalise_phone(raw, region=DEFAULT_REGION):
    """E.164 (``"0811-0000-0001"`` -> ``"+6281100000001"``) by the suite's one normaliser
    (``services.common.schemas``); ``ValidationFailed`` naming ``phone`` if invalid."""
    if not isinstance(raw, str):
        raise ValidationFailed(INVALID_PHONE, {"fields": {"phone": [bilingual("Not a valid string.")]}})
    try:
        return e164(raw, region)
    except ValueError:
        raise ValidationFailed(INVALID_PHONE, {"fields": {"phone": [PHONE_MESSAGE]}}) from None


def parse_hhmm(value):
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def default_preferences():
    return {"phone": None, "email": None, "webhook_url": None, "language": "id",
            "channels": list(DEFAULT_ORDER), "opt_out": [], "quiet_hours": None}


def normalise(prefs):
    """Fill defaults and normalise the phone; input as loaded by the schema (or stored)."""
    out = default_preferences()
    out.update({k: v for k, v in (prefs or {}).items() if v is not None})
    if out["phone"]:
        out["phone"] = normalise_phone(out["phone"])
    if out["language"] not in LANGUAGES:
        out["language"] = "id"
    out["channels"] = list(dict.fromkeys(out["channels"] or DEFAULT_ORDER))
    out["opt_out"] = sorted(set(out["opt_out"]))
    return out


@dataclass(frozen=True)
class Plan:
    """What to do with a message now.

    ``channels``: the channels to try, in order (empty: nothing to send, see ``reason``).
    ``defer_until``: aware UTC datetime when quiet hours end (``channels`` then holds the order
    to use at that time). ``reason``: ``None``, ``"quiet_hours"``, ``"no_contact"`` or
    ``"opted_out"``.
    """

    channels: list = field(default_factory=list)
    defer_until: datetime = None
    reason: str = None

    @property
    def send_now(self):
        return bool(self.channels) and self.defer_until is None

    def as_dict(self):
        out = asdict(self)
        out["defer_until"] = clk.iso(self.defer_until) if self.defer_until else None
        return out


def in_quiet_hours(quiet_hours, now, zone_name=None):
    """``(True, end_utc)`` if ``now`` is inside the window (which may wrap midnight)."""
    if not quiet_hours:
        return False, None
    start, end = parse_hhmm(quiet_hours["start"]), parse_hhmm(quiet_hours["end"])
    if start == end:
        return False, None
    tz = clk.zone(zone_name)
    local = clk.to_utc(now).astimezone(tz)
    t = local.time().replace(tzinfo=None)
    if start < end:
        inside = start <= t < end
        end_day = local.date()
    else:  # wraps midnight: 21:00-06:00
        inside = t >= start or t < end
        end_day = local.date() + timedelta(days=1) if t >= start else local.date()
    if not inside:
        return False, None
    end_local = datetime.combine(end_day, end, tzinfo=tz)
    return True, end_local.astimezone(clk.UTC)


def candidate_channels(event_kind, prefs, channels=None):
    """The recipient's order restricted to ``channels`` (default: the channels the event has
    templates for). A person's list is also the set to use; ``webhook`` (agency systems, never
    in a person's list) comes last when the recipient has a ``webhook_url``."""
    allowed = list(channels or templates.EVENTS.get(event_kind, ALL_CHANNELS))
    order = [c for c in prefs["channels"] if c in allowed]
    return order + [c for c in allowed if c not in order and c not in PERSON_CHANNELS]


def usable_channels(event_kind, prefs, channels=None):
    """Candidate channels minus opt-outs and channels lacking a contact point."""
    prefs = normalise(prefs)
    return [c for c in candidate_channels(event_kind, prefs, channels)
            if c in ALL_CHANNELS and c not in prefs["opt_out"] and prefs.get(CONTACT_FOR[c])]


def plan_delivery(event_kind, recipient_prefs, now, zone_name=None, channels=None):
    """Decide the ordered channels to try for ``event_kind`` at ``now`` (aware datetime).

    ``channels`` narrows the candidates (default: the channels with a template for the event,
    so an SLA warning only goes to a webhook). Opt-outs
    always apply; quiet hours (MPP zone, default Asia/Jakarta) only to optional messages.
    """
    prefs = normalise(recipient_prefs)
    order = usable_channels(event_kind, prefs, channels)
    if not order:
        candidates = candidate_channels(event_kind, prefs, channels)
        if any(prefs.get(CONTACT_FOR[c]) for c in candidates if c in CONTACT_FOR):
            return Plan([], None, "opted_out")
        return Plan([], None, "no_contact")
    if EVENT_CLASS.get(event_kind, OPTIONAL) == OPTIONAL:
        quiet, until = in_quiet_hours(prefs["quiet_hours"], now, zone_name)
        if quiet:
            return Plan(order, until, "quiet_hours")
    return Plan(order, None, None)


def agency_preferences(webhook_url):
    """An agency's system: its webhook only, in Indonesian, no quiet hours."""
    return normalise({"webhook_url": webhook_url, "channels": ["webhook"]})


def audiences(event_kind, agency, agency_webhooks):
    """Who hears of an event: ``None`` stands for the citizen (when the kind has a template
    for a person), an agency code for that agency's system (when it has a webhook and the kind
    a webhook template)."""
    out = [None] if event_kind in templates.PERSON_EVENTS else []
    if agency and agency in (agency_webhooks or {}) and event_kind in templates.AGENCY_EVENTS:
        out.append(agency)
    return out


def contact_for(channel, prefs):
    """The address a channel sends to (E.164 phone, e-mail or webhook URL)."""
    return prefs.get(CONTACT_FOR[channel])
