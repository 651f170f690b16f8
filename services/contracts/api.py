"""The shapes the HTTP API answers: one marshmallow schema per concept (a ticket, a counter, an
application's public status), named by every route that returns it (``response=`` in
``@route``), so the OpenAPI document and a generated client know each body's fields and types.

Conventions: times are UTC ISO-8601 with ``Z`` and milliseconds (``format: date-time``), days
``YYYY-MM-DD`` (``format: date``) in the MPP's zone; ids are strings; a field that may be
``null`` says so (``allow_none``) and is still always present when ``required``. Each schema
accepts members it does not list (``additionalProperties: true``): a client ignores what it
does not know, so adding a field never breaks one.
"""
from marshmallow import INCLUDE, Schema, fields

from services.contracts import feedback as fc


class Out(Schema):
    class Meta:
        unknown = INCLUDE


def _req(field_class, *args, **kwargs):
    return field_class(*args, required=True, **kwargs)


def _str(**kwargs):
    return fields.String(required=True, **kwargs)


def _opt_str():
    return fields.String(required=True, allow_none=True)


def _when():
    return fields.DateTime(required=True, allow_none=True)


# --- a citizen's phone number ------------------------------------------------------------

class PhoneConfirmed(Out):
    confirmed = _req(fields.Boolean)


# --- health and accounts -------------------------------------------------------------------

class Health(Out):
    status = _str()


class Readiness(Out):
    status = _str(metadata={"enum": ["ready", "not ready"]})
    checks = _req(fields.Dict, keys=fields.String(), values=fields.Boolean())
    connectors = _req(fields.Dict, keys=fields.String(), values=fields.String())


class Account(Out):
    username = _str()
    role = _str()
    agency = _opt_str()
    active = fields.Boolean()
    disabled = fields.Boolean()
    must_change_password = fields.Boolean()
    created_at = fields.DateTime()


class AccountList(Out):
    accounts = _req(fields.List, fields.Nested(Account))


class TemporaryPassword(Out):
    username = _str()
    temporary_password = _str()
    must_change_password = _req(fields.Boolean)


class ApiKey(Out):
    id = _str()
    agency = _str()
    role = _str()
    label = fields.String(allow_none=True)
    key = fields.String(metadata={"description": "the key itself, shown once at creation"})
    created_at = fields.DateTime()
    revoked = fields.Boolean()


class ApiKeyList(Out):
    api_keys = _req(fields.List, fields.Nested(ApiKey))


# --- catalogue -------------------------------------------------------------------------------

class ServiceSummary(Out):
    id = _str()
    prefix = _str()
    name = _str()
    name_en = fields.String(allow_none=True)


class ServiceView(ServiceSummary):
    agency = _str()
    opening_hours = fields.Dict(keys=fields.String(),
                                values=fields.List(fields.String(), allow_none=True),
                                metadata={"description": "weekday -> [open, close] local "
                                                         "times; null: closed that day"})
    daily_quota = fields.Integer(allow_none=True)
    default_service_minutes = fields.Integer(allow_none=True)
    booking = fields.Dict()


class RequirementView(Out):
    kind = _str()
    name = _str()
    name_en = fields.String(allow_none=True)
    required = fields.Boolean()


class FormFieldView(Out):
    name = _str()
    type = _str()
    required = fields.Boolean()
    label = fields.String(allow_none=True)
    label_en = fields.String(allow_none=True)


class PermitType(Out):
    """A permit type's version in force (``id`` is the type's id, as in every request)."""
    id = _str()
    agency = _str()
    name = _str()
    name_en = fields.String(allow_none=True)
    version = _req(fields.Integer)
    sla_working_days = _req(fields.Integer)
    fee = _req(fields.Integer)
    approval_levels = fields.Integer()
    connector = fields.String(allow_none=True)
    requirements = _req(fields.List, fields.Nested(RequirementView))
    form = _req(fields.List, fields.Nested(FormFieldView))
    effective_from = fields.Date(allow_none=True)
    effective_to = fields.Date(allow_none=True)
    retired_from = fields.Date(allow_none=True, metadata={
        "description": "not in force from this day on"})


class PermitTypeList(Out):
    permit_types = _req(fields.List, fields.Nested(PermitType))


class AgencyView(Out):
    code = _str()
    name = _str()
    name_en = fields.String(allow_none=True)
    services = _req(fields.List, fields.Nested(ServiceSummary))
    permit_types = fields.List(fields.Nested(PermitType))


class RetiredAgency(Out):
    code = _str()
    retired_at = _req(fields.DateTime)


class Mpp(Out):
    name = _str()
    timezone = _str()


class AgencyList(Out):
    agencies = _req(fields.List, fields.Nested(AgencyView))
    timezone = _str()
    mpp = _req(fields.Nested, Mpp)


# --- tickets, counters, queues -----------------------------------------------------------

class Visit(Out):
    id = _str()
    steps = fields.List(fields.String())
    step = fields.Integer()


class Ticket(Out):
    """A ticket as its holder (and the counter calling it) sees it: never a contact."""
    id = _str()
    number = _str()
    service_id = _str()
    agency = _opt_str()
    status = _str(metadata={"enum": ["waiting", "called", "serving", "completed", "skipped",
                                     "transferred", "cancelled", "not_served"]})
    priority_group = _opt_str()
    issued_at = _req(fields.DateTime)
    arrived_at = _when()
    called_at = _when()
    day = _req(fields.Date)
    counter_id = _opt_str()
    language = fields.String()
    visit = fields.Nested(Visit)
    access_token = fields.String(metadata={"description": "only when the ticket is issued: "
                                                          "the holder's secret to track it"})
    position = fields.Integer(allow_none=True)
    ahead = fields.Integer(allow_none=True)
    eta_min_minutes = fields.Integer(allow_none=True)
    eta_max_minutes = fields.Integer(allow_none=True)


class BoardTicket(Out):
    """Today's ticket by its number, as the board shows it: no id, no token."""
    number = _str()
    service_id = _str()
    status = _str()
    position = fields.Integer(allow_none=True)
    ahead = fields.Integer(allow_none=True)
    eta_min_minutes = fields.Integer(allow_none=True)
    eta_max_minutes = fields.Integer(allow_none=True)


class CounterView(Out):
    id = _str()
    agency = _str()
    name = _str()
    services = _req(fields.List, fields.String())
    status = _str(metadata={"enum": ["open", "closed"]})
    officer = _opt_str()


class CounterList(Out):
    counters = _req(fields.List, fields.Nested(CounterView))


class WaitingTicket(Out):
    id = _str()
    number = _str()
    service_id = _str()
    service_name = fields.String(allow_none=True)
    service_name_en = fields.String(allow_none=True)
    priority_group = fields.String(allow_none=True)
    ahead = fields.Integer()


class CounterWaiting(Out):
    counter = _req(fields.Nested, CounterView)
    current = fields.Nested(Ticket, required=True, allow_none=True)
    waiting = _req(fields.List, fields.Nested(WaitingTicket))


class LastCalled(Out):
    number = _str()
    counter_id = _str()
    counter_name = fields.String()
    at = fields.DateTime()


class QueueStatus(Out):
    service_id = _str()
    waiting = _req(fields.Integer)
    serving = _req(fields.List, fields.Dict())
    last_called = _req(fields.List, fields.Nested(LastCalled))
    eta_min_minutes = fields.Integer(allow_none=True)
    eta_max_minutes = fields.Integer(allow_none=True)
    counters_open = fields.Integer()


class BoardCounter(Out):
    id = _str()
    name = _str()
    agency = _str()
    status = _str()
    now_serving = fields.Dict(allow_none=True)


class Board(Out):
    counters = _req(fields.List, fields.Nested(BoardCounter))
    last_called = _req(fields.List, fields.Nested(LastCalled))
    waiting = _req(fields.Dict, keys=fields.String(), values=fields.Integer())


class Slot(Out):
    start = _req(fields.DateTime)
    end = _req(fields.DateTime)
    local = _str(metadata={"description": "HH:MM in the MPP's zone, as a booking names it"})
    capacity = fields.Integer()
    booked = fields.Integer()
    free = _req(fields.Integer)
    bookable = _req(fields.Boolean)


class Availability(Out):
    service_id = _str()
    date = _req(fields.Date)
    slots = _req(fields.List, fields.Nested(Slot))


class Booking(Out):
    """A booking without the personal data it was made with."""
    code = _str()
    service_id = _str()
    date = _req(fields.Date)
    slot_start = _req(fields.DateTime)
    slot_end = fields.DateTime()
    slot_local = fields.String(allow_none=True, metadata={"description": "HH:MM local"})
    status = _str()
    ticket_id = fields.String(allow_none=True)


class SurveyLink(Out):
    survey_url = _str()


# --- applications and permits ----------------------------------------------------------------

class FiledApplication(Out):
    application_id = _str()
    tracking_code = _str()
    pin = fields.String(metadata={"description": "6 digits; only in the first answer"})
    state = _str()
    created = _req(fields.Boolean)


class FilingReplayed(Out):
    """A retry of a filing already received (same Idempotency-Key): its code and PIN went to
    the applicant's phone or e-mail, never to whoever retries."""
    created = _req(fields.Boolean)
    message = _str()


class Sla(Out):
    mode = fields.String()
    due_at = fields.DateTime(allow_none=True)
    percent_used = fields.Float(allow_none=True)
    breached = fields.Boolean()
    sla_working_days = fields.Integer()
    remaining_working_days = fields.Float(allow_none=True)


class PublicHistoryEntry(Out):
    """One step of an application's hash-chained history as its applicant sees it: each
    ``prev_hash`` is the previous entry's ``hash`` (64 zeros for the first), the last ``hash``
    is the chain's ``head_hash``; staff verify the chain with ``verifyApplicationHistory``."""
    seq = _req(fields.Integer)
    at = _req(fields.DateTime)
    role = _str()
    from_ = fields.String(data_key="from", required=True, allow_none=True)
    to = _str()
    to_label = fields.String()
    action = _str()
    note = fields.String(allow_none=True)
    prev_hash = _str()
    hash = _str()


class PublicDocument(Out):
    kind = _str()
    filename = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class PermitSummary(Out):
    permit_number = _str()
    revoked = fields.Boolean()
    verify_url = fields.String()


class RemainingStep(Out):
    """What is left before the permit is in the applicant's hands, in plain words."""
    step = _str(metadata={"enum": ["agency_decision", "approval", "payment", "issue"]})
    label = _str()
    label_en = _str()
    done = _req(fields.Boolean)


class ApplicationStatus(Out):
    """An application as its applicant sees it (tracking code + PIN): no NIK, name, phone,
    e-mail or form."""
    tracking_code = _str()
    permit_type_id = _str()
    agency = _str()
    state = _str()
    state_label = _str()
    filed_at = _req(fields.DateTime)
    updated_at = _req(fields.DateTime)
    permit_number = _opt_str()
    sla = fields.Nested(Sla, allow_none=True)
    sla_due_at = fields.DateTime(allow_none=True)
    history = _req(fields.List, fields.Nested(PublicHistoryEntry))
    head_hash = fields.String(metadata={"description": "the last history entry's hash"})
    documents = fields.List(fields.Nested(PublicDocument))
    available_actions = _req(fields.List, fields.String())
    remaining = fields.List(fields.Nested(RemainingStep))
    permit = fields.Nested(PermitSummary)


class ApplicationChange(Out):
    application_id = _str()
    state = _str()
    state_label = fields.String()
    seq = _req(fields.Integer)
    permit_number = fields.String(allow_none=True)


class WorkItem(Out):
    application_id = _str()
    tracking_code = _str()
    permit_type_id = _str()
    permit_type_name = fields.String(allow_none=True)
    applicant_masked = fields.String()
    state = _str()
    state_label = fields.String()
    filed_at = fields.DateTime()
    history_seq = fields.Integer()
    sla = fields.Nested(Sla, allow_none=True)


class WorkList(Out):
    items = _req(fields.List, fields.Nested(WorkItem))
    next = fields.String(required=True, allow_none=True)


class StaffHistoryEntry(PublicHistoryEntry):
    application_id = _str()
    actor = _str()
    details = fields.Dict()


class ActionOffer(Out):
    action = _str()
    label = fields.String()
    label_en = fields.String()
    needs_reason = fields.Boolean()


class StaffApplication(Out):
    """An application as its agency's staff see it (NIK masked)."""
    application_id = _str()
    tracking_code = _str()
    agency = _str()
    permit_type_id = _str()
    permit_type_version = fields.Integer()
    state = _str()
    state_label = fields.String()
    history_seq = fields.Integer()
    filed_at = fields.DateTime()
    updated_at = fields.DateTime()
    applicant = fields.Dict()
    form = fields.Dict()
    documents = fields.List(fields.Dict())
    sla = fields.Nested(Sla, allow_none=True)
    permit_number = fields.String(allow_none=True)
    connector_status = fields.Dict(allow_none=True)
    actions = fields.List(fields.Nested(ActionOffer))
    history = _req(fields.List, fields.Nested(StaffHistoryEntry))


class HistoryCheck(Out):
    """Is the application's history chain intact (every hash recomputed, every link and the
    head kept on the application checked)?"""
    application_id = _str()
    ok = _req(fields.Boolean)
    first_bad_seq = fields.Integer(required=True, allow_none=True,
                                   metadata={"description": "the first entry that does not "
                                                            "fit, null when intact"})
    entries = _req(fields.Integer)
    head_hash = _str()


class DocumentAdded(Out):
    kind = _str()
    filename = fields.String(allow_none=True)
    media_type = fields.String(allow_none=True)
    size = _req(fields.Integer)
    sha256 = _str()


class NewPinSent(Out):
    sent = _req(fields.Boolean)
    message = _str()


class PermitKey(Out):
    algorithm = _str()
    key_id = _str()
    pem = _str()
    keys = fields.Dict(keys=fields.String(), values=fields.String())


class PermitVerification(Out):
    status = _str(metadata={"enum": ["valid", "revoked", "expired", "unknown"]})
    status_label = _str()
    permit_number = fields.String()
    agency = fields.String()
    agency_name = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    issued_at = fields.String()
    valid_from = fields.String(allow_none=True)
    valid_until = fields.String(allow_none=True)
    record_sha256 = fields.String()
    holder = fields.String(metadata={"description": "the holder's name, masked"})


class DecisionRecorded(Out):
    applied = _req(fields.Boolean)
    duplicate = _req(fields.Boolean)
    status = fields.String()
    state = fields.String()
    seq = fields.Integer()


# --- live updates (SSE) and what the suite sends to agencies -------------------------------------

class LiveEvent(Out):
    """The ``data`` of one Server-Sent Event on ``/api/v1/stream/...`` (``event:`` is its
    ``type``): a ticketing fact without personal data, or ``board`` with a board snapshot."""
    type = _str(metadata={"description": "ticket_issued, ticket_called, ticket_recalled, ... "
                                         "or board"})
    event_id = fields.String()
    occurred_at = fields.DateTime()
    ticket_id = fields.String()
    number = fields.String()
    service_id = fields.String()
    agency = fields.String(allow_none=True)
    counter_id = fields.String(allow_none=True)
    counter_name = fields.String()
    call_seq = fields.Integer()
    priority_group = fields.String(allow_none=True)
    returned_to_queue = fields.Boolean()
    to_service_id = fields.String()
    new_ticket_id = fields.String()
    new_number = fields.String()
    services = fields.List(fields.String())
    override = fields.Boolean()


class ConnectorApplicant(Out):
    nik = _str()
    name = _str()
    phone = _str()
    email = fields.String(required=True, allow_none=True)


class ConnectorDocument(Out):
    kind = _str()
    filename = _str()
    media_type = _str()
    size = _req(fields.Integer)
    sha256 = _str()


class ConnectorApplication(Out):
    """What the webhook connector POSTs to an agency's system when an application is forwarded
    (the agency is the lawful processor of the applicant's NIK). The agency answers 2xx once it
    has it and reports its decision to ``recordConnectorDecision``."""
    application_id = _str()
    tracking_code = _str()
    agency = _str()
    permit_type_id = _str()
    permit_type_version = _req(fields.Integer)
    state = _str()
    seq = _req(fields.Integer)
    filed_at = _req(fields.DateTime)
    applicant = _req(fields.Nested, ConnectorApplicant)
    form = _req(fields.Dict)
    documents = _req(fields.List, fields.Nested(ConnectorDocument))


class AgencyWebhookMessage(Out):
    """What the notifications service POSTs to an agency's webhook (e.g. an SLA warning)."""
    id = _str(metadata={"description": "the message id, also X-MPP-Delivery"})
    event = _str(metadata={"description": "the kind, also X-MPP-Event "
                                          "(e.g. application_sla_warning)"})
    data = _req(fields.Dict)


# --- administration and statistics ------------------------------------------------------------

class AgencySaved(Out):
    code = _str()


class CalendarView(Out):
    """The MPP's working-day calendar (days off by decree, extra working days)."""
    timezone = _str()
    days_off = _req(fields.List, fields.Date())
    working_days = _req(fields.List, fields.Date())
    joint_holidays = _req(fields.Boolean)
    suggested_days_off = fields.Dict(keys=fields.String(), values=fields.String())


class DayStatistics(Out):
    day = _req(fields.Date)
    agency = _opt_str()
    total = _req(fields.Dict)
    services = _req(fields.Dict, keys=fields.String(), values=fields.Dict())
    agencies = _req(fields.Dict, keys=fields.String(), values=fields.Dict())


class NotificationList(Out):
    reference = _str()
    messages = _req(fields.List, fields.Dict())


class NotificationCount(Out):
    channel = _opt_str()
    status = _str()
    count = _req(fields.Integer)


class NotificationCounts(Out):
    items = _req(fields.List, fields.Nested(NotificationCount))
    total = _req(fields.Integer)


class Connector(Out):
    """An agency connector's state as the permits service sees it."""
    name = _str()
    agency = _opt_str()
    agencies = fields.List(fields.String())
    kind = fields.String(allow_none=True)
    state = _str()
    suspended_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    last_seen_at = fields.DateTime(allow_none=True)
    waiting = fields.Integer()
    parked = fields.Integer()
    named_by_catalogue = fields.Boolean()
    resumed = fields.Integer(metadata={"description": "only when resumed: jobs released"})


class ConnectorList(Out):
    connectors = _req(fields.List, fields.Nested(Connector))


class WebhookAgencyView(Out):
    """An agency the webhook connector serves; ``secret`` only in the answer that set it."""
    agency = _str()
    url = _str()
    timeout_seconds = _req(fields.Float)
    status_mapping = _req(fields.Dict, keys=fields.String(), values=fields.String())
    secret_hint = _str(metadata={"description": "the secret's last four characters"})
    secret_set_at = _req(fields.DateTime)
    updated_at = _req(fields.DateTime)
    secret = fields.String(metadata={"description": "the new shared secret, shown once"})
    secret_shown_once = fields.Boolean()


class WebhookAgencyList(Out):
    agencies = _req(fields.List, fields.Nested(WebhookAgencyView))


class RevokedApiKey(Out):
    id = _str()
    revoked = _req(fields.Boolean)


class SurveyElement(Out):
    """An element of service the citizen rates (PermenPAN-RB 14/2017)."""
    code = _str()
    name = _str()
    name_en = fields.String(allow_none=True)


class IkmElement(SurveyElement):
    weight = _str(metadata={"description": "a fraction, e.g. 1/9"})


class IkmElements(Out):
    elements = _req(fields.List, fields.Nested(IkmElement))


class MonthItems(Out):
    month = _str()
    agency = fields.String(allow_none=True)
    items = _req(fields.List, fields.Dict())


class PublicStatistics(Out):
    generated_at = _req(fields.DateTime)
    today = _req(fields.Date)
    month = _str()
    timezone = _str()
    mpp = _req(fields.Dict)
    agencies = _req(fields.List, fields.Dict())


# --- surveys and complaints -------------------------------------------------------------------

class ScaleStep(Out):
    value = _req(fields.Integer, metadata={"minimum": 1, "maximum": 4})
    label = _str()
    label_en = _str()


class SurveyForm(Out):
    """The survey of one invitation: what was served, the elements to rate, the scale."""
    kind = _str(metadata={"enum": ["ticket", "application"]})
    agency = _str()
    service_id = _str()
    service_name = _str()
    answered = _req(fields.Boolean)
    scale = _req(fields.List, fields.Nested(ScaleStep))
    elements = _req(fields.List, fields.Nested(SurveyElement))


class SurveyAnswered(Out):
    accepted = _req(fields.Boolean)
    submitted_at = _req(fields.DateTime)


_COMPLAINT_STATUS = {"enum": ["received", "in_progress", "answered", "closed"]}


class ComplaintFiled(Out):
    """A complaint just filed (or the same one again, for a retried Idempotency-Key)."""
    id = _str()
    status = _str(metadata=_COMPLAINT_STATUS)
    agency = _str()
    received_at = _req(fields.DateTime)
    due_at = _req(fields.DateTime, metadata={"description": "answer due (5 working days)"})


class ComplaintStatus(Out):
    """What the citizen who filed a complaint sees: no text, contact or officer."""
    id = _str()
    kind = _str()
    status = _str(metadata=_COMPLAINT_STATUS)
    status_label = _str()
    received_at = _req(fields.DateTime)
    due_at = _req(fields.DateTime)
    response = _opt_str()


class ComplaintList(Out):
    items = _req(fields.List, fields.Nested(fc.ComplaintOutSchema))


class LaporRow(Out):
    """One complaint in the fields SP4N-LAPOR! takes (no NIK, name or contact)."""
    id = _str()
    kategori = _str()
    judul = _str()
    isi_laporan = _str()
    instansi_tujuan = _str()
    layanan = _opt_str()
    referensi = _opt_str()
    lokasi = _str()
    tanggal_kejadian = _req(fields.Date, allow_none=True)
    tanggal_diterima = _req(fields.DateTime)
    status = _str(metadata=_COMPLAINT_STATUS)
    batas_tanggapan = _req(fields.DateTime)
    tanggapan = _opt_str()
    anonim = _req(fields.Boolean)
    rahasia = _req(fields.Boolean)


class LaporExport(Out):
    fields_ = _req(fields.List, fields.String(), data_key="fields",
                   metadata={"description": "the column order (also of the CSV)"})
    items = _req(fields.List, fields.Nested(LaporRow))


# --- providers, preferences, settings ---------------------------------------------------------

class ProviderReport(Out):
    """What the gateway made of a provider's report (applied once per identical body)."""
    received = _req(fields.Integer, metadata={"description": "delivery statuses in the body"})
    duplicate = _req(fields.Boolean, metadata={"description": "the same body was applied "
                                                             "before: nothing changed"})
    applied = _req(fields.Integer)
    unknown = _req(fields.Integer)
    opted_out = _req(fields.Integer)
    confirmed = _req(fields.Integer)


class QuietHours(Out):
    start = _str(metadata={"pattern": "^[0-2][0-9]:[0-5][0-9]$"})
    end = _str(metadata={"pattern": "^[0-2][0-9]:[0-5][0-9]$"})


class NotificationPreferences(Out):
    """An applicant's notification preferences as saved (never the phone or e-mail back)."""
    language = _str()
    channels = _req(fields.List, fields.String())
    opt_out = _req(fields.List, fields.String())
    quiet_hours = _req(fields.Nested, QuietHours, allow_none=True)
