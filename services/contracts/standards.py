"""The standards requests the gateway validates and the standards service loads, and the
vocabulary of a *standar pelayanan* (UU 25/2009 art. 21; PermenPAN-RB 15/2014) and of its
public consultation (*Forum Konsultasi Publik*, PermenPAN-RB 16/2017).

A standard is about one subject: a permit type (``permit_type``) or a queue service
(``queue_service``). Its fourteen components (``COMPONENTS``; Indonesian and English names
in ``COMPONENT_LABELS``) are data where they are data (requirements as document kinds, the
procedure as ordered steps, time in working days or minutes, cost as the fee in rupiah and
its legal basis, complaint channels) and text where they are text. A queue service's
standard also carries the service's ``opening_hours`` (ticketing's shape).

Every input refuses unknown fields; ids are our own keys, so an injected ``{"$gt": ""}`` is
a 422, never a query operator. Free text is bounded and travels as JSON data.
"""
from marshmallow import ValidationError, fields, validate, validates, validates_schema

from services.contracts.fields import Int, StrictSchema, key
from services.contracts.permits import SLUG, RequirementSchema, Text
from services.contracts.ticketing import OpeningHoursSchema

#: what a standard may be about
SUBJECT_KINDS = ("permit_type", "queue_service")
#: a standard's life: drafted, consulted on, adopted (in force), replaced by a newer version
DRAFT, CONSULTATION, ADOPTED, SUPERSEDED = "draft", "consultation", "adopted", "superseded"
STATUSES = (DRAFT, CONSULTATION, ADOPTED, SUPERSEDED)
#: the groups a Forum Konsultasi Publik invites (PermenPAN-RB 16/2017)
GROUPS = ("users", "community", "academics", "business", "press")
#: how a comment was followed up
OUTCOMES = ("accepted", "partly", "rejected")

#: the six delivery components, then the eight management components (PermenPAN-RB 15/2014)
DELIVERY = ("requirements", "procedure", "time", "cost", "product", "complaints")
MANAGEMENT = ("legal_basis", "facilities", "competence", "oversight", "staff_count",
              "guarantee", "security", "evaluation")
COMPONENTS = DELIVERY + MANAGEMENT
COMPONENT_LABELS = {
    "requirements": ("Persyaratan", "Requirements"),
    "procedure": ("Sistem, mekanisme, dan prosedur", "System, mechanism and procedure"),
    "time": ("Jangka waktu pelayanan", "Service time"),
    "cost": ("Biaya/tarif", "Cost/tariff"),
    "product": ("Produk pelayanan", "Service product"),
    "complaints": ("Penanganan pengaduan, saran, dan masukan",
                   "Handling of complaints, suggestions and input"),
    "legal_basis": ("Dasar hukum", "Legal basis"),
    "facilities": ("Sarana, prasarana, dan/atau fasilitas", "Facilities"),
    "competence": ("Kompetensi pelaksana", "Staff competence"),
    "oversight": ("Pengawasan internal", "Internal oversight"),
    "staff_count": ("Jumlah pelaksana", "Number of staff"),
    "guarantee": ("Jaminan pelayanan", "Service guarantee"),
    "security": ("Jaminan keamanan dan keselamatan pelayanan", "Security and safety guarantee"),
    "evaluation": ("Evaluasi kinerja pelaksana", "Staff performance evaluation"),
}
GROUP_LABELS = {
    "users": ("Pengguna layanan", "Service users"),
    "community": ("Tokoh/organisasi masyarakat", "Community"),
    "academics": ("Akademisi", "Academics"),
    "business": ("Dunia usaha", "Business"),
    "press": ("Media massa", "Press"),
}
OUTCOME_LABELS = {
    "accepted": ("Diterima", "Accepted"),
    "partly": ("Diterima sebagian", "Partly accepted"),
    "rejected": ("Tidak diterima", "Rejected"),
}
STATUS_LABELS = {
    DRAFT: ("Rancangan", "Draft"),
    CONSULTATION: ("Konsultasi publik", "In consultation"),
    ADOPTED: ("Ditetapkan", "Adopted"),
    SUPERSEDED: ("Diganti", "Superseded"),
}

_KEY = key(100)
REQUIRED = {"required": "Wajib diisi / Required."}
MAX_TEXT = 4000
#: a public comment's length, as a complaint's (``services.contracts.feedback``)
COMMENT_MIN, COMMENT_MAX = 10, 4000


def _text(max_length=MAX_TEXT, **kwargs):
    return Text(multiline=True, validate=validate.Length(min=1, max=max_length), **kwargs)


class SubjectSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(SUBJECT_KINDS),
                         error_messages=REQUIRED)
    id = fields.String(required=True, validate=_KEY, error_messages=REQUIRED)


class StepSchema(StrictSchema):
    step = Int(required=True, validate=validate.Range(1, 100))
    name = Text(required=True, validate=validate.Length(min=1, max=300))
    name_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=300))


class TimeSchema(StrictSchema):
    """The promised time: working days (a permit type's SLA) or minutes (a queue service's
    expected service time)."""
    working_days = Int(validate=validate.Range(1, 365))
    minutes = Int(validate=validate.Range(1, 480))

    @validates_schema
    def _one(self, data, **kwargs):
        if ("working_days" in data) == ("minutes" in data):
            raise ValidationError("Isi hari kerja atau menit / Give working_days or minutes.",
                                  "_schema")


class CostSchema(StrictSchema):
    fee = Int(required=True, validate=validate.Range(0, 10 ** 12), error_messages=REQUIRED)
    legal_basis = Text(load_default="", validate=validate.Length(max=1000))


class ComponentsSchema(StrictSchema):
    """The fourteen components; in a draft each may be missing (``STANDARD_INCOMPLETE``
    names what a consultation still needs)."""
    requirements = fields.List(fields.Nested(RequirementSchema), validate=validate.Length(max=30))
    procedure = fields.List(fields.Nested(StepSchema), validate=validate.Length(max=50))
    time = fields.Nested(TimeSchema)
    cost = fields.Nested(CostSchema)
    product = _text()
    complaints = fields.List(Text(validate=validate.Length(min=1, max=300)),
                             validate=validate.Length(max=20))
    legal_basis = _text()
    facilities = _text()
    competence = _text()
    oversight = _text()
    staff_count = Int(validate=validate.Range(0, 100000))
    guarantee = _text()
    security = _text()
    evaluation = _text()

    @validates("requirements")
    def _unique_kinds(self, value, **kwargs):
        kinds = [r.get("kind") for r in value if isinstance(r, dict)]
        if len(set(kinds)) != len(kinds):
            raise ValidationError("Jenis dokumen ganda / Duplicate document kind.")

    @validates("procedure")
    def _ordered(self, value, **kwargs):
        steps = [s.get("step") for s in value if isinstance(s, dict)]
        if steps != list(range(1, len(steps) + 1)):
            raise ValidationError("Langkah berurutan mulai 1 / Steps numbered 1, 2, 3 ...")


class DraftSchema(StrictSchema):
    """A new draft. ``agency``: the supervisor's own (may be left out); the admin names it.
    ``opening_hours``: a queue service's hours (ticketing's shape)."""
    agency = fields.String(load_default=None, allow_none=True, validate=SLUG)
    subject = fields.Nested(SubjectSchema, required=True, error_messages=REQUIRED)
    title = Text(required=True, validate=validate.Length(min=1, max=200),
                 error_messages=REQUIRED)
    title_en = Text(load_default=None, allow_none=True, validate=validate.Length(max=200))
    components = fields.Nested(ComponentsSchema, load_default=dict)
    opening_hours = fields.Nested(OpeningHoursSchema, load_default=None, allow_none=True)


class DraftUpdateSchema(StrictSchema):
    """A change to a draft: what is given replaces what was there (``components`` per key)."""
    title = Text(validate=validate.Length(min=1, max=200))
    title_en = Text(allow_none=True, validate=validate.Length(max=200))
    components = fields.Nested(ComponentsSchema)
    opening_hours = fields.Nested(OpeningHoursSchema, allow_none=True)


class ConsultationSchema(StrictSchema):
    opens_on = fields.Date(required=True, error_messages=REQUIRED)
    closes_on = fields.Date(required=True, error_messages=REQUIRED)
    invited_groups = fields.List(fields.String(validate=validate.OneOf(GROUPS)),
                                 required=True, validate=validate.Length(min=1, max=5),
                                 error_messages=REQUIRED)

    @validates("invited_groups")
    def _unique(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Kelompok ganda / Duplicate group.")

    @validates_schema
    def _period(self, data, **kwargs):
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            raise ValidationError("Tidak boleh sebelum tanggal buka / Not before the opening "
                                  "day.", "closes_on")


class CommentSchema(StrictSchema):
    """A public comment: anonymous (``name`` null) or named; ``group``: which invited group
    the commenter counts themselves in, if any."""
    text = fields.String(required=True, validate=validate.Length(
        min=COMMENT_MIN, max=COMMENT_MAX,
        error="Tulis 10 sampai 4000 karakter / Write 10 to 4000 characters."),
        error_messages=REQUIRED)
    name = Text(load_default=None, allow_none=True, validate=validate.Length(max=100))
    group = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(GROUPS))


class AnswerSchema(StrictSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES),
                            error_messages=REQUIRED)
    reason = _text(max_length=2000, required=True, error_messages=REQUIRED)


class ForumSchema(StrictSchema):
    """The forum meeting: participants counted per group (no names: the record is public)."""
    held_on = fields.Date(required=True, error_messages=REQUIRED)
    place = Text(required=True, validate=validate.Length(min=1, max=300),
                 error_messages=REQUIRED)
    participants = fields.Dict(keys=fields.String(validate=validate.OneOf(GROUPS)),
                               values=Int(validate=validate.Range(0, 100000)), required=True,
                               error_messages=REQUIRED)
    summary = _text(required=True, error_messages=REQUIRED)


class AdoptSchema(StrictSchema):
    effective_from = fields.Date(required=True, error_messages=REQUIRED)


class ListQuerySchema(StrictSchema):
    agency = fields.String(load_default=None, allow_none=True, validate=SLUG)
    status = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(STATUSES))


class StandardIdSchema(StrictSchema):
    standard_id = fields.String(required=True, validate=_KEY)
    comment_id = fields.String(validate=_KEY)


# -- what the standards service answers (response schemas for the routes) -----------------------

class HistoryEntryOutSchema(StrictSchema):
    at = fields.String(required=True)
    by = fields.String(allow_none=True, metadata={"description": "null on public views"})
    action = fields.String(required=True)
    hash = fields.String(required=True)
    prev = fields.String(required=True)


class ForumOutSchema(StrictSchema):
    held_on = fields.String(required=True)
    place = fields.String(required=True)
    participants = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    summary = fields.String(required=True)


class ConsultationOutSchema(StrictSchema):
    opens_on = fields.String(required=True)
    closes_on = fields.String(required=True)
    invited_groups = fields.List(fields.String(), required=True)
    closed_at = fields.String(allow_none=True)
    forum = fields.Nested(ForumOutSchema, allow_none=True)


class SubjectOutSchema(StrictSchema):
    kind = fields.String(required=True)
    id = fields.String(required=True)


class StandardOutSchema(StrictSchema):
    """A standard as the RPCs return it (``components``: the fourteen keys, as drafted)."""
    id = fields.String(required=True)
    agency = fields.String(required=True)
    agency_name = fields.String(required=True)
    agency_name_en = fields.String(required=True)
    subject = fields.Nested(SubjectOutSchema, required=True)
    subject_name = fields.String(required=True, metadata={
        "description": "the permit type's or queue service's name when drafted"})
    subject_name_en = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    title = fields.String(required=True)
    title_en = fields.String(required=True)
    components = fields.Dict(required=True)
    opening_hours = fields.Dict(allow_none=True)
    effective_from = fields.String(allow_none=True)
    review_due = fields.String(allow_none=True)
    review_overdue = fields.Boolean(required=True)
    consultation = fields.Nested(ConsultationOutSchema, allow_none=True)
    consultation_open = fields.Boolean(required=True)
    superseded_by = fields.String(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntryOutSchema), required=True)
    created_at = fields.String(required=True)
    updated_at = fields.String(required=True)


class AnswerOutSchema(StrictSchema):
    outcome = fields.String(required=True)
    outcome_label = fields.String(required=True)
    reason = fields.String(required=True)
    at = fields.String(required=True)


class CommentOutSchema(StrictSchema):
    """A comment; ``name`` only on the staff view (``list_comments(public=False)``)."""
    id = fields.String(required=True)
    text = fields.String(required=True)
    group = fields.String(allow_none=True)
    named = fields.Boolean(required=True)
    at = fields.String(required=True)
    answer = fields.Nested(AnswerOutSchema, allow_none=True)
    name = fields.String(allow_none=True)


class DifferenceOutSchema(StrictSchema):
    field = fields.String(required=True)
    promised = fields.Raw(allow_none=True)
    running = fields.Raw(allow_none=True)


class ComplianceOutSchema(StrictSchema):
    standard_id = fields.String(required=True)
    agency = fields.String(required=True)
    subject = fields.Nested(SubjectOutSchema, required=True)
    differences = fields.List(fields.Nested(DifferenceOutSchema), required=True)
