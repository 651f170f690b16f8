"""The rules of a service standard's life. Pure: plain data in, plain data out, no storage.

Life (``STEPS``): ``draft`` --open_consultation--> ``consultation`` --adopt--> ``adopted``
--supersede--> ``superseded``. Inside a consultation the supervisor answers comments, records
the forum and closes it; adoption is refused while the consultation is open or any comment is
unanswered (PermenPAN-RB 16/2017: what the public raised is followed up before the standard is
set), and a standard cannot be consulted on before its fourteen components are there.

History: every change is an entry ``{standard_id, seq, at, by, role, action, from, to,
changes, prev}`` hash-chained (``services.common.hashchain``); ``changes`` are the document
fields the step sets, so the entry doubles as a redo log (``apply``); its ``note`` is kept in
the chain only (the answer a ``comment_answered`` step gave). The store's unique
``<standard>:<seq>`` decides between two people acting at once.
"""
from datetime import date

from dateutil.relativedelta import relativedelta

from services.common import clock as clk
from services.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed
from services.common.hashchain import broken_link, digest, link
from services.contracts import roles
from services.contracts import standards as sc
from services.contracts.messages import INVALID_DATA
from services.contracts.ticketing import WEEKDAYS

ENTRY_FIELDS = ("standard_id", "seq", "at", "by", "role", "action", "from", "to", "changes",
                "prev")

#: action -> (states it may start from, the state it leaves the standard in; None: unchanged)
STEPS = {
    "created": ((None,), sc.DRAFT),
    # the draft is revised during the consultation too: what was accepted goes into it
    "updated": ((sc.DRAFT, sc.CONSULTATION), None),
    "consultation_opened": ((sc.DRAFT,), sc.CONSULTATION),
    "comment_answered": ((sc.CONSULTATION,), None),
    "forum_recorded": ((sc.CONSULTATION,), None),
    "consultation_closed": ((sc.CONSULTATION,), None),
    "adopted": ((sc.CONSULTATION,), sc.ADOPTED),
    "superseded": ((sc.ADOPTED,), sc.SUPERSEDED),
}
KIND_PREFIX = {"permit_type": "pt", "queue_service": "qs"}
DEFAULT_REVIEW_MONTHS = 12

NOT_YOURS = "Standar pelayanan instansi lain / Another agency's service standard"
NOT_SUPERVISOR = ("Hanya supervisor instansi atau admin MPP / Only the agency's supervisor or "
                  "the MPP admin")


def standard_id(kind, subject_id, version):
    """``pt-pbg-v2``: readable, and the same for everyone who drafts that version."""
    return "{}-{}-v{}".format(KIND_PREFIX[kind], subject_id, version)


def label(pair):
    return "{} / {}".format(*pair)


# -- who may do what --------------------------------------------------------------------------

def manager_agency(actor, agency=None):
    """The agency ``actor`` manages standards of: a supervisor their own (another is
    ``Forbidden``), the admin the one named. Officers and strangers are ``Forbidden``."""
    actor = actor or {}
    role = actor.get("role")
    if role == roles.ADMIN:
        if not agency:
            raise ValidationFailed(INVALID_DATA, {"fields": {"agency": [
                "Pilih instansi / Choose the agency."]}})
        return agency
    if role != roles.SUPERVISOR or not actor.get("agency"):
        raise Forbidden(NOT_SUPERVISOR, {"role": role})
    if agency and agency != actor["agency"]:
        raise Forbidden(NOT_YOURS)
    return actor["agency"]


def check_manager(actor, standard):
    manager_agency(actor, standard["agency"])


def who(actor):
    actor = actor or {}
    return str(actor.get("username") or "?"), str(actor.get("role") or "?")


# -- the chain --------------------------------------------------------------------------------

def check_step(status, action):
    starts, _ = STEPS[action]
    if status not in starts:
        raise IllegalTransition(
            "Tidak dapat dilakukan pada standar berstatus {} / Not possible on a standard that "
            "is {}".format(*sc.STATUS_LABELS.get(status, (status, status))),
            {"status": status, "action": action})


def new_entry(previous, standard_id_, at, actor, action, changes, status_before):
    """The entry after ``previous`` (None: the first) for ``action``, hashed."""
    check_step(status_before, action)
    by, role = who(actor)
    _, to = STEPS[action]
    entry = {"standard_id": standard_id_, "seq": 1 if previous is None else previous["seq"] + 1,
             "at": clk.iso(at), "by": by, "role": role, "action": action,
             "from": status_before, "to": to or status_before, "changes": dict(changes),
             "prev": link(previous)}
    entry["hash"] = digest(entry, ENTRY_FIELDS)
    return entry


def apply(doc, entry):
    """The document after ``entry`` (a new dict)."""
    out = dict(doc)
    for name, value in entry["changes"].items():
        if name == "note":  # recorded in the chain only (which comment was answered how)
            continue
        if name == "components":
            out["components"] = dict(out.get("components") or {}, **value)
        elif name == "consultation":
            out["consultation"] = dict(out.get("consultation") or {}, **value)
        else:
            out[name] = value
    out.update(status=entry["to"], seq=entry["seq"], head=entry["hash"], updated_at=entry["at"])
    return out


def verify(entries, head=None):
    """``(True, None)`` or ``(False, seq of the first bad entry)``; with ``head`` (kept on the
    document) a missing tail is caught too."""
    for position, entry in enumerate(entries, start=1):
        if entry.get("seq") != position:
            return False, position
    bad = broken_link(entries, ENTRY_FIELDS, "prev")
    if bad is not None:
        return False, bad
    if head is not None and (entries[-1]["hash"] if entries else None) != head:
        return False, len(entries) + 1
    return True, None


def history_view(entries):
    return [{"at": e["at"], "by": e["by"], "action": e["action"], "hash": e["hash"],
             "prev": e["prev"]} for e in entries]


# -- the components ---------------------------------------------------------------------------

def _present(value):
    return value not in (None, "", [], {})


def missing_components(doc):
    """The components (and, for a queue service, the opening hours) a standard still lacks,
    as field messages: a consultation needs them all."""
    components = doc.get("components") or {}
    fields = {name: ["{} belum diisi / {} is missing.".format(*sc.COMPONENT_LABELS[name])]
              for name in sc.COMPONENTS if not _present(components.get(name))}
    time = components.get("time") or {}
    kind = doc["subject"]["kind"]
    if time and kind == "permit_type" and "working_days" not in time:
        fields["time"] = ["Izin: jangka waktu dalam hari kerja / A permit's time is in working "
                          "days."]
    if time and kind == "queue_service" and "minutes" not in time:
        fields["time"] = ["Antrean: jangka waktu dalam menit / A queue service's time is in "
                          "minutes."]
    if kind == "queue_service" and not _present(hours(doc.get("opening_hours"))):
        fields["opening_hours"] = ["Jam pelayanan belum diisi / Opening hours are missing."]
    return fields


def hours(opening_hours):
    """Opening hours with closed days left out (``{"sun": None}`` and no ``sun`` agree)."""
    return {day: (opening_hours or {}).get(day) for day in WEEKDAYS
            if (opening_hours or {}).get(day)}


def operative(doc):
    """What the services that run the subject take from the adopted standard."""
    components = doc.get("components") or {}
    if doc["subject"]["kind"] == "permit_type":
        return {"requirements": [
                    {"kind": r["kind"], "name": r["name"], "name_en": r.get("name_en"),
                     "required": bool(r.get("required", True))}
                    for r in components.get("requirements") or []],
                "sla_working_days": (components.get("time") or {}).get("working_days"),
                "fee": (components.get("cost") or {}).get("fee")}
    return {"opening_hours": hours(doc.get("opening_hours")),
            "default_service_minutes": (components.get("time") or {}).get("minutes")}


def _requirements_key(requirements):
    return sorted((r.get("kind"), r.get("name"), bool(r.get("required", True)))
                  for r in requirements or [])


def differences(doc, running):
    """``[{field, promised, running}]`` where the running configuration (``None``: the
    subject does not exist) disagrees with the standard's operative part."""
    promised = operative(doc)
    if running is None:
        return [{"field": "subject", "promised": doc["subject"]["id"], "running": None}]
    out = []
    for name, value in promised.items():
        now = running.get(name)
        if name == "requirements":
            same = _requirements_key(value) == _requirements_key(now)
        elif name == "opening_hours":
            same = hours(value) == hours(now)
        else:
            same = value == now
        if not same:
            out.append({"field": name, "promised": value, "running": now})
    return out


# -- consultation and adoption ---------------------------------------------------------------

def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(value)


def consultation_open(doc, today):
    """Is the public consultation taking comments on ``today`` (local date)."""
    c = doc.get("consultation") or {}
    return (doc.get("status") == sc.CONSULTATION and not c.get("closed_at")
            and _day(c["opens_on"]) <= today <= _day(c["closes_on"]))


def check_can_comment(doc, today):
    if not consultation_open(doc, today):
        raise Conflict("Konsultasi publik standar ini sedang tidak dibuka / This standard's "
                       "public consultation is not open", {"status": doc.get("status")})


def adoption_blockers(doc, unanswered, newer=None):
    """Why the standard cannot be adopted now (empty: it can). ``newer``: the id of a newer
    version of the same subject already adopted."""
    c = doc.get("consultation") or {}
    reasons = []
    if newer:
        reasons.append("Versi yang lebih baru ({}) sudah ditetapkan / A newer version ({}) is "
                       "adopted already".format(newer, newer))
    if doc.get("status") != sc.CONSULTATION:
        reasons.append("Standar belum melalui konsultasi publik / The standard has not been "
                       "through a public consultation")
    elif not c.get("closed_at"):
        reasons.append("Konsultasi publik masih dibuka / The public consultation is still "
                       "open")
    if unanswered:
        reasons.append("{} masukan belum dijawab / {} comments are unanswered".format(
            unanswered, unanswered))
    return reasons


def check_adoption(doc, unanswered, effective_from, today, newer=None):
    if effective_from < today:
        raise ValidationFailed(INVALID_DATA, {"fields": {"effective_from": [
            "Tidak boleh sebelum hari ini / Not before today."]}})
    reasons = adoption_blockers(doc, unanswered, newer)
    if reasons:
        raise Conflict("; ".join(reasons), {"reasons": reasons, "unanswered": unanswered})


def review_due(effective_from, months=DEFAULT_REVIEW_MONTHS):
    """The day an adopted standard is due for its periodic review."""
    return (_day(effective_from) + relativedelta(months=months)).isoformat()


def review_overdue(doc, today):
    return (doc.get("status") == sc.ADOPTED and bool(doc.get("review_due"))
            and _day(doc["review_due"]) <= today)


# -- what callers see ---------------------------------------------------------------------------

def document(doc, entries, today):
    """A standard as the RPCs return it (the preamble's shape)."""
    return {
        "id": doc["_id"], "agency": doc["agency"], "subject": dict(doc["subject"]),
        "agency_name": doc.get("agency_name") or doc["agency"],
        "agency_name_en": doc.get("agency_name_en") or doc.get("agency_name") or doc["agency"],
        "subject_name": doc.get("subject_name") or doc["subject"]["id"],
        "subject_name_en": doc.get("subject_name_en") or doc.get("subject_name")
        or doc["subject"]["id"],
        "version": doc["version"], "status": doc["status"],
        "status_label": label(sc.STATUS_LABELS[doc["status"]]),
        "title": doc["title"], "title_en": doc.get("title_en") or doc["title"],
        "components": dict(doc.get("components") or {}),
        "opening_hours": doc.get("opening_hours"),
        "effective_from": doc.get("effective_from"), "review_due": doc.get("review_due"),
        "review_overdue": review_overdue(doc, today),
        "consultation": dict(doc["consultation"]) if doc.get("consultation") else None,
        "consultation_open": consultation_open(doc, today) if doc.get("consultation") else False,
        "superseded_by": doc.get("superseded_by"),
        "history": history_view(entries),
        "created_at": doc["created_at"], "updated_at": doc.get("updated_at") or doc["created_at"],
    }


def public_comment(comment, answer, with_name=False):
    """A comment as the public page shows it: never the commenter's name (``named`` says
    whether one was given); staff (``with_name``) see it."""
    out = {"id": comment["comment_id"], "text": comment["text"], "group": comment.get("group"),
           "named": bool(comment.get("name")), "at": comment["at"],
           "answer": None}
    if with_name:
        out["name"] = comment.get("name")
    if answer:
        out["answer"] = {"outcome": answer["outcome"],
                         "outcome_label": label(sc.OUTCOME_LABELS[answer["outcome"]]),
                         "reason": answer["reason"], "at": answer["at"]}
    return out
