"""The application workflow: one explicit table of states × actions × allowed roles.

Pure: no clock, no database. ``apply(state, action, role, context)`` answers the next state or
raises ``IllegalTransition`` (the action is not possible from this state) or ``Forbidden``
(possible, but not for this role). State is checked before role, so a caller learns "not now"
before "not you"; both change nothing.

Approval levels are explicit states ``approval_1`` … ``approval_<n>`` where ``n`` is the permit
type version's ``approval_levels`` (0..``MAX_APPROVAL_LEVELS``). The table has one row per
*kind* of state (``approval`` stands for every ``approval_<k>``), so it stays one readable
table however many levels a type has. Where the next state depends on the application's terms
the row names a resolver instead of a state:

- ``@after_agency``: ``approval_1``, or when the type has no approval level the state after the
  last approval;
- ``@next_approval``: ``approval_<k+1>`` or, after the last level, ``@after_approvals``;
- ``@after_approvals``: ``awaiting_payment`` when ``fee > 0``, else ``approved`` (awaiting
  payment is skipped when there is nothing to pay; ``approved`` = decided, ready to issue).

``context`` carries ``approval_levels`` and ``fee`` (the terms the application kept from the
version in force when it was filed), ``note`` and ``sla_overdue`` for the guards below.

Guards: ``return``, ``reject``, ``agency_return``, ``agency_reject``, ``cancel`` and ``revoke``
need a ``note`` (the reason is shown to the applicant). ``deem_approve`` (*fiktif positif*) is
only possible once the SLA is overdue (``context["sla_overdue"]``); its legal basis is
``DEEMED_APPROVED_LEGAL_BASIS`` and is stored in the history entry's ``details``.

SLA clock: ``clock_mode(state)`` is ``running`` while the agency owes work, ``paused`` while
the applicant owes something (a correction, a payment), ``stopped`` once issued or terminal.
"""
from services.common import clock as clk
from services.common.errors import Forbidden, IllegalTransition, ValidationFailed
from services.permits import history
from services.contracts.permits import MAX_APPROVAL_LEVELS  # noqa: F401


ROLES = ("applicant", "officer", "supervisor", "admin", "connector", "system")

#: Fixed states (approval states are generated: ``approval_states(n)``).
SUBMITTED = "submitted"
INTAKE_CHECK = "intake_check"
RETURNED = "returned"
RESUBMITTED = "resubmitted"
ACCEPTED = "accepted"
IN_PROCESS = "in_process"
AWAITING_PAYMENT = "awaiting_payment"
PAID = "paid"
APPROVED = "approved"
ISSUED = "issued"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
CANCELLED = "cancelled"
EXPIRED = "expired"
REVOKED = "revoked"
DEEMED_APPROVED = "deemed_approved"

APPROVAL = "approval"  # the kind of every approval_<k> state
INITIAL_STATE = SUBMITTED
TERMINAL_STATES = frozenset({REJECTED, WITHDRAWN, CANCELLED, EXPIRED, REVOKED, DEEMED_APPROVED})
#: decisions measured against the SLA (their events say whether it was kept; practice counts
#: them): issued, rejected, deemed approved
SLA_DECIDED = frozenset({ISSUED, REJECTED, DEEMED_APPROVED})

DEEMED_APPROVED_LEGAL_BASIS = (
    "Pasal 53 UU No. 30 Tahun 2014 tentang Administrasi Pemerintahan, sebagaimana diubah oleh "
    "UU No. 11 Tahun 2020 dan Perppu No. 2 Tahun 2022 (ditetapkan dengan UU No. 6 Tahun 2023) "
    "tentang Cipta Kerja: permohonan yang tidak ditetapkan dalam batas waktu dianggap "
    "dikabulkan secara hukum / Article 53 of Law 30/2014 on Government Administration as "
    "amended by Law 11/2020 and Perppu 2/2022 (enacted by Law 6/2023) on Job Creation: an "
    "application not decided within the time limit is deemed granted by law")

_OFFICE = ("officer", "supervisor")
_PRE_DECISION = (SUBMITTED, INTAKE_CHECK, RESUBMITTED, ACCEPTED, IN_PROCESS, APPROVAL)
_WITHDRAWABLE = (SUBMITTED, INTAKE_CHECK, RETURNED, RESUBMITTED, ACCEPTED, IN_PROCESS, APPROVAL,
                 AWAITING_PAYMENT, APPROVED)
_CANCELLABLE = _WITHDRAWABLE + (PAID,)


def _rows():
    rows = {
        # state kind      action                 roles                               target
        (SUBMITTED, "start_intake"): (_OFFICE, INTAKE_CHECK),
        (RESUBMITTED, "start_intake"): (_OFFICE, INTAKE_CHECK),
        (INTAKE_CHECK, "return"): (_OFFICE, RETURNED),
        (INTAKE_CHECK, "accept"): (_OFFICE, ACCEPTED),
        (INTAKE_CHECK, "reject"): (_OFFICE, REJECTED),
        (RETURNED, "resubmit"): (("applicant", "officer"), RESUBMITTED),
        (RETURNED, "expire"): (("system",), EXPIRED),
        (ACCEPTED, "forward"): (("officer", "supervisor", "system"), IN_PROCESS),
        (IN_PROCESS, "agency_approve"): (("connector",), "@after_agency"),
        (IN_PROCESS, "agency_return"): (("connector",), RETURNED),
        (IN_PROCESS, "agency_reject"): (("connector",), REJECTED),
        (APPROVAL, "approve"): (("supervisor",), "@next_approval"),
        (APPROVAL, "reject"): (("supervisor",), REJECTED),
        (AWAITING_PAYMENT, "pay"): (("officer", "system"), PAID),
        (AWAITING_PAYMENT, "expire"): (("system",), EXPIRED),
        (PAID, "issue"): (("supervisor", "system"), ISSUED),
        (APPROVED, "issue"): (("supervisor", "system"), ISSUED),
        (ISSUED, "revoke"): (("supervisor", "admin"), REVOKED),
    }
    for kind in _WITHDRAWABLE:
        rows[(kind, "withdraw")] = (("applicant",), WITHDRAWN)
    for kind in _CANCELLABLE:
        rows[(kind, "cancel")] = (("supervisor", "admin"), CANCELLED)
    for kind in _PRE_DECISION:
        rows[(kind, "deem_approve")] = (("system",), DEEMED_APPROVED)
    return rows


#: THE table: ``(state kind, action) -> (allowed roles, target state or @resolver)``.
TRANSITIONS = _rows()
ACTIONS = tuple(sorted({action for _, action in TRANSITIONS}))
NOTE_REQUIRED = frozenset({"return", "reject", "agency_return", "agency_reject", "cancel",
                           "revoke"})

#: Clock behaviour per state kind.
CLOCK_RUNNING = frozenset({SUBMITTED, INTAKE_CHECK, RESUBMITTED, ACCEPTED, IN_PROCESS, APPROVAL,
                           APPROVED, PAID})
CLOCK_PAUSED = frozenset({RETURNED, AWAITING_PAYMENT})

STATE_LABELS = {
    SUBMITTED: ("Permohonan diterima", "Application submitted"),
    INTAKE_CHECK: ("Pemeriksaan berkas", "Intake check"),
    RETURNED: ("Berkas dikembalikan untuk perbaikan", "Returned for correction"),
    RESUBMITTED: ("Perbaikan berkas diterima", "Correction resubmitted"),
    ACCEPTED: ("Berkas lengkap dan diterima", "Accepted"),
    IN_PROCESS: ("Diproses oleh instansi", "In process at the agency"),
    APPROVAL: ("Menunggu persetujuan tingkat {level}", "Awaiting approval, level {level}"),
    AWAITING_PAYMENT: ("Menunggu pembayaran retribusi", "Awaiting payment"),
    PAID: ("Retribusi telah dibayar", "Paid"),
    APPROVED: ("Disetujui, menunggu penerbitan", "Approved, awaiting issuance"),
    ISSUED: ("Izin telah terbit", "Permit issued"),
    REJECTED: ("Permohonan ditolak", "Rejected"),
    WITHDRAWN: ("Permohonan dicabut oleh pemohon", "Withdrawn by the applicant"),
    CANCELLED: ("Permohonan dibatalkan", "Cancelled"),
    EXPIRED: ("Permohonan kedaluwarsa", "Expired"),
    REVOKED: ("Izin dicabut", "Permit revoked"),
    DEEMED_APPROVED: ("Dianggap dikabulkan secara hukum (fiktif positif)",
                      "Deemed approved by law (fiktif positif)"),
}

ACTION_LABELS = {
    "start_intake": ("Mulai pemeriksaan berkas", "Start intake check"),
    "return": ("Kembalikan berkas untuk perbaikan", "Return for correction"),
    "accept": ("Terima berkas", "Accept"),
    "reject": ("Tolak permohonan", "Reject"),
    "resubmit": ("Kirim perbaikan berkas", "Resubmit"),
    "expire": ("Kedaluwarsa", "Expire"),
    "forward": ("Teruskan ke instansi", "Forward to the agency"),
    "agency_approve": ("Disetujui instansi", "Approved by the agency"),
    "agency_return": ("Dikembalikan instansi untuk perbaikan", "Returned by the agency"),
    "agency_reject": ("Ditolak instansi", "Rejected by the agency"),
    "approve": ("Setujui", "Approve"),
    "pay": ("Catat pembayaran", "Record payment"),
    "issue": ("Terbitkan izin", "Issue the permit"),
    "revoke": ("Cabut izin", "Revoke the permit"),
    "withdraw": ("Cabut permohonan", "Withdraw"),
    "cancel": ("Batalkan permohonan", "Cancel"),
    "deem_approve": ("Dianggap dikabulkan (fiktif positif)", "Deem approved (fiktif positif)"),
}


def approval_state(level):
    return "{}_{}".format(APPROVAL, level)


def approval_states(levels=MAX_APPROVAL_LEVELS):
    return tuple(approval_state(k) for k in range(1, levels + 1))


FIXED_STATES = (SUBMITTED, INTAKE_CHECK, RETURNED, RESUBMITTED, ACCEPTED, IN_PROCESS,
                AWAITING_PAYMENT, PAID, APPROVED, ISSUED) + tuple(sorted(TERMINAL_STATES))
ALL_STATES = FIXED_STATES + approval_states()


def approval_level(state):
    """``3`` for ``approval_3``; ``None`` for any other state."""
    if isinstance(state, str) and state.startswith(APPROVAL + "_"):
        digits = state[len(APPROVAL) + 1:]
        if digits.isdigit() and digits[0] != "0" and 1 <= int(digits) <= MAX_APPROVAL_LEVELS:
            return int(digits)
    return None


def kind(state):
    """The table row a state uses: ``approval`` for every ``approval_<k>``, else itself."""
    if approval_level(state) is not None:
        return APPROVAL
    if state in FIXED_STATES:
        return state
    raise ValueError("unknown state {!r}".format(state))


def clock_mode(state):
    """``running`` | ``paused`` | ``stopped``: what the SLA clock does in this state."""
    k = kind(state)
    if k in CLOCK_RUNNING:
        return "running"
    if k in CLOCK_PAUSED:
        return "paused"
    return "stopped"


def label(state, language=None):
    """Bilingual label (``"id / en"``), or one language with ``language="id"|"en"``."""
    level = approval_level(state)
    pair = STATE_LABELS[kind(state)]
    pair = tuple(text.format(level=level) for text in pair)
    if language == "id":
        return pair[0]
    if language == "en":
        return pair[1]
    return "{} / {}".format(*pair)


#: what can remain once the agency has the file, in the order it happens
REMAINING_LABELS = {
    "agency_decision": ("Keputusan instansi teknis", "The agency's decision"),
    "approval": ("Persetujuan pejabat tingkat {level}", "Approval by an official, level {level}"),
    "payment": ("Pembayaran retribusi {fee}", "Payment of the fee, {fee}"),
    "issue": ("Penerbitan izin", "Issuing the permit"),
}


def _rupiah(amount):
    return "Rp{:,}".format(int(amount)).replace(",", ".")


def remaining_steps(state, approval_levels=0, fee=0):
    """The steps between the agency receiving the file and the permit in the applicant's
    hands, each ``{"step", "label", "label_en", "done"}``, so the applicant reads what is
    left (the agency's decision, each approval, the payment, the issue) instead of "in
    process". Empty before intake is done (nothing is decided yet) and once the application
    has ended another way (rejected, withdrawn, ...)."""
    k = kind(state)
    if state in TERMINAL_STATES or k in (SUBMITTED, INTAKE_CHECK, RETURNED, RESUBMITTED):
        return []
    levels = approval_levels or 0
    rank = {ACCEPTED: 0, IN_PROCESS: 1, AWAITING_PAYMENT: 2 + levels, PAID: 3 + levels,
            APPROVED: 4 + levels, ISSUED: 5 + levels}.get(k)
    if rank is None:  # approval_<k>
        rank = 1 + approval_level(state)
    steps = [("agency_decision", {}, rank >= 2)]
    steps += [("approval", {"level": n}, rank > 1 + n) for n in range(1, levels + 1)]
    if fee:
        steps.append(("payment", {"fee": _rupiah(fee)}, rank >= 3 + levels))
    steps.append(("issue", {}, k == ISSUED))
    out = []
    for step, values, done in steps:
        text_id, text_en = REMAINING_LABELS[step]
        out.append({"step": step, "label": text_id.format(**values),
                    "label_en": text_en.format(**values), "done": done})
    return out


def _terms(context):
    levels = context.get("approval_levels", 0)
    fee = context.get("fee", 0)
    if not isinstance(levels, int) or isinstance(levels, bool) or not (
            0 <= levels <= MAX_APPROVAL_LEVELS):
        raise ValueError("approval_levels must be an int in 0..{}".format(MAX_APPROVAL_LEVELS))
    if not isinstance(fee, int) or isinstance(fee, bool) or fee < 0:
        raise ValueError("fee must be a non-negative int (IDR)")
    return levels, fee


def _resolve(target, state, context):
    levels, fee = _terms(context)
    if target == "@after_approvals":
        return AWAITING_PAYMENT if fee > 0 else APPROVED
    if target == "@after_agency":
        return approval_state(1) if levels >= 1 else _resolve("@after_approvals", state, context)
    if target == "@next_approval":
        level = approval_level(state)
        if level > levels:
            raise IllegalTransition(
                "Tingkat persetujuan tidak ada pada jenis izin ini / This permit type has no "
                "approval level {}".format(level), {"state": state, "action": "approve"})
        if level < levels:
            return approval_state(level + 1)
        return _resolve("@after_approvals", state, context)
    return target


def allowed_roles(state, action):
    """The roles that may take ``action`` from ``state`` (empty when the action is illegal)."""
    row = TRANSITIONS.get((kind(state), action))
    return tuple(row[0]) if row else ()


def available_actions(state, role):
    """Actions ``role`` may take from ``state`` (for the console's buttons)."""
    k = kind(state)
    return tuple(sorted(a for (s, a), (roles, _) in TRANSITIONS.items()
                        if s == k and role in roles))


def apply(state, action, role, context=None):
    """The next state after ``role`` takes ``action`` in ``state``.

    Raises ``IllegalTransition`` when the action is not possible from the state (including
    every action from a terminal state and unknown actions), ``Forbidden`` when the role may
    not take it, ``ValidationFailed`` when a guard's input (the note) is missing.
    """
    context = context or {}
    if role not in ROLES:
        raise Forbidden("Peran tidak dikenal / Unknown role", {"role": str(role)})
    row = TRANSITIONS.get((kind(state), action))
    if row is None:
        raise IllegalTransition(
            "Tindakan '{a}' tidak dapat dilakukan pada status '{sid}' / Action '{a}' is not "
            "allowed in state '{sen}'".format(a=action, sid=label(state, "id"),
                                              sen=label(state, "en")),
            {"state": state, "action": str(action)})
    roles, target = row
    if role not in roles:
        raise Forbidden(
            "Peran '{r}' tidak berwenang melakukan '{a}' / Role '{r}' may not '{a}'".format(
                r=role, a=action), {"state": state, "action": action, "role": role})
    if action in NOTE_REQUIRED and not (isinstance(context.get("note"), str)
                                        and context["note"].strip()):
        raise ValidationFailed("Alasan wajib diisi / A reason is required",
                               {"fields": {"note": ["Wajib diisi / Required."]}})
    if action == "deem_approve" and context.get("sla_overdue") is not True:
        raise IllegalTransition(
            "Batas waktu layanan belum terlampaui / The service deadline has not passed yet",
            {"state": state, "action": action})
    return _resolve(target, state, context)


# --- separation of duties ------------------------------------------------------------------

#: roles that are people (or a key acting for one); ``system`` and ``connector`` steps are the
#: suite's own and an agency's back office, which the rule does not bind
PERSONAL_ROLES = ("officer", "supervisor", "admin")
SAME_APPROVER = ("Persetujuan bertingkat harus oleh orang yang berbeda / Each approval level "
                 "needs a different person")
LAST_APPROVER_ISSUES = ("Izin tidak dapat diterbitkan oleh pemberi persetujuan terakhir / The "
                        "last approver may not also issue the permit")


def _approval_round(entries):
    """The approvals of the current round: those since the application last entered
    ``approval_1`` (a return for correction starts the approvals again)."""
    start = 0
    for i, entry in enumerate(entries):
        if entry.get("to") == approval_state(1):
            start = i
    return [e for e in entries[start:] if e.get("action") == "approve"]


def duty_conflict(state, action, actor, role, approval_levels, entries):
    """Why ``actor`` may not take ``action`` now, given who took the earlier steps
    (``entries``: the application's history, oldest first), or ``None``.

    - an approval level needs a person who has not approved an earlier level of this round;
    - where the type has more than one approval level, the permit is not issued by the person
      who gave the last approval (a second pair of eyes between the decision and the permit).
    """
    if role not in PERSONAL_ROLES:
        return None
    approvals = _approval_round(entries)
    if action == "approve" and approval_level(state) is not None:
        if any(e.get("actor") == actor for e in approvals):
            return SAME_APPROVER
    if action == "issue" and approval_levels > 1 and approvals:
        if approvals[-1].get("actor") == actor:
            return LAST_APPROVER_ISSUES
    return None


def check_duties(state, action, actor, role, approval_levels, entries):
    """``duty_conflict`` as a ``Forbidden`` (nothing changes)."""
    reason = duty_conflict(state, action, actor, role, approval_levels, entries)
    if reason:
        raise Forbidden(reason, {"state": state, "action": action, "rule": "separation_of_duties"})


# --- applications as the workflow sees them ------------------------------------------------

#: Filing is not a row of the table (there is no state before it): these roles may file.
SUBMIT_ACTION = "submit"
SUBMIT_ROLES = ("applicant", "officer")


def terms_of(version):
    """What an application keeps from the permit type version in force when it was filed."""
    return {
        "permit_type_id": version["permit_type_id"],
        "version": version["version"],
        "agency": version["agency"],
        "sla_working_days": version["sla_working_days"],
        "fee": version["fee"],
        "approval_levels": version["approval_levels"],
        "connector": version["connector"],
    }


def new_application(application_id, version, applicant, form, documents, tracking_code,
                    secret_digest, applicant_key, idempotency_key, at, actor, role):
    """``(application, first history entry)`` for a filing; nothing is stored here.

    ``version`` is the permit type version in force at ``at`` (``permit_types.version_in_force``),
    ``applicant`` the loaded ``ApplicantSchema`` dict, ``form`` the cleaned form
    (``permit_types.validate_form``), ``documents`` the list of ``documents.inspect_upload``
    results each with its ``kind`` (and ``reuse_key``).
    """
    if role not in SUBMIT_ROLES:
        raise Forbidden("Peran '{r}' tidak dapat mengajukan permohonan / Role '{r}' may not "
                        "file an application".format(r=role), {"role": role})
    entry = history.new_entry(None, application_id, at, actor, role, None, INITIAL_STATE,
                              SUBMIT_ACTION)
    application = {
        "id": application_id,
        "tracking_code": tracking_code,
        "secret_digest": secret_digest,
        "idempotency_key": idempotency_key,
        "agency": version["agency"],
        "permit_type_id": version["permit_type_id"],
        "permit_type_version": version["version"],
        "terms": terms_of(version),
        "applicant": dict(applicant),
        "applicant_key": applicant_key,
        "form": dict(form),
        "documents": [dict(d) for d in documents],
        "state": INITIAL_STATE,
        "state_since": clk.iso(at),
        "filed_at": clk.iso(at),
        "updated_at": clk.iso(at),
        "history_seq": entry["seq"],
        "head_hash": entry["hash"],
        "permit_number": None,
    }
    return application, entry


def step(application, action, role, actor, at, note=None, details=None, sla_overdue=False):
    """Take ``action`` on ``application``: ``(changes, history entry)``; nothing is stored.

    ``changes`` is the ``$set`` for the application (``state``, ``state_since``,
    ``updated_at``, ``history_seq``, ``head_hash``). Insert the entry first: its unique
    ``(application_id, seq)`` decides which of two concurrent actors wins; only the winner then
    writes ``changes``.
    """
    state = application["state"]
    _, new_state = check_action(application, action, role, note=note, sla_overdue=sla_overdue)
    details = dict(details or {})
    if approval_level(state) is not None:
        details.setdefault("approval_level", approval_level(state))
    if new_state == DEEMED_APPROVED:
        details["legal_basis"] = DEEMED_APPROVED_LEGAL_BASIS
    previous = {"application_id": application["id"], "seq": application["history_seq"],
                "hash": application["head_hash"]}
    entry = history.new_entry(previous, application["id"], at, actor, role, state, new_state,
                              action, note=note, details=details)
    changes = {"state": new_state, "state_since": entry["at"], "updated_at": entry["at"],
               "history_seq": entry["seq"], "head_hash": entry["hash"]}
    return changes, entry


# --- who may do what to an application (the one rule the console and the act path share) --

#: the agency's own decisions; taken by the connector, or by the agency's officers when the
#: type's connector is ``manual`` (they are then the agency's back office)
AGENCY_ACTIONS = ("agency_approve", "agency_return", "agency_reject")
MANUAL_AGENCY_DECIDERS = ("officer", "supervisor")


def acting_role(application, action, role):
    """The workflow role ``role`` takes ``action`` on ``application`` as.

    ``role`` itself, except for an agency decision on an application whose connector is
    ``manual``: its officers and supervisors take it as ``connector``. ``Forbidden`` when the
    agency decision is not theirs to take."""
    if action in AGENCY_ACTIONS and role != "connector":
        if application["terms"].get("connector") != "manual" or \
                role not in MANUAL_AGENCY_DECIDERS:
            raise Forbidden("Keputusan instansi hanya dari konektor / Agency decisions come "
                            "from the connector", {"action": action})
        return "connector"
    return role


def check_action(application, action, role, note=None, sla_overdue=False, actor=None,
                 entries=None):
    """``(workflow role, next state)`` when ``role`` may take ``action`` on ``application``
    now; raises as ``apply`` does otherwise. With ``entries`` (the history, oldest first) the
    person ``actor`` is also held to the separation of duties (``check_duties``). The act path
    and ``allowed_actions`` both ask this, so what the console offers and what it accepts
    cannot differ."""
    terms = application["terms"]
    as_role = acting_role(application, action, role)
    context = {"approval_levels": terms["approval_levels"], "fee": terms["fee"],
               "note": note, "sla_overdue": sla_overdue}
    new_state = apply(application["state"], action, as_role, context)
    if entries is not None:
        check_duties(application["state"], action, actor, role, terms["approval_levels"],
                     entries)
    return as_role, new_state


def allowed_actions(application, role, actor=None, entries=None):
    """What ``role`` (the person ``actor``, with the history ``entries``) may do to
    ``application`` now, for the console: ``[{"action", "label", "label_en",
    "needs_reason"}]`` (the reason itself is asked when the action is taken)."""
    offered = []
    for action in ACTIONS:
        try:
            check_action(application, action, role, note="-", actor=actor, entries=entries)
        except (IllegalTransition, Forbidden, ValidationFailed):
            continue
        offered.append({"action": action, "label": ACTION_LABELS[action][0],
                        "label_en": ACTION_LABELS[action][1],
                        "needs_reason": action in NOTE_REQUIRED})
    return offered
