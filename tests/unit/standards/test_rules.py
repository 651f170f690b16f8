"""The standards' rules, as plain data: the life of a standard, its hash chain, what a
consultation needs, when adoption is refused, what runs against what was promised, review."""
from datetime import date, datetime, timezone

import pytest

from services.common.errors import Conflict, Forbidden, IllegalTransition, ValidationFailed
from services.standards import rules

AT = datetime(2026, 12, 7, 1, 0, tzinfo=timezone.utc)
SUPERVISOR = {"username": "sri", "role": "supervisor", "agency": "dpmptsp"}

FULL = {
    "requirements": [{"kind": "ktp", "name": "KTP", "name_en": None, "required": True}],
    "procedure": [{"step": 1, "name": "Ajukan"}], "time": {"working_days": 7},
    "cost": {"fee": 100000, "legal_basis": "Perda 1/2024"}, "product": "Izin",
    "complaints": ["SP4N-LAPOR!"], "legal_basis": "UU 25/2009", "facilities": "Loket",
    "competence": "Terlatih", "oversight": "Atasan", "staff_count": 2, "guarantee": "Tepat",
    "security": "Aman", "evaluation": "Tiap semester"}


def standard(kind="permit_type", status="consultation", **extra):
    return dict({"_id": "pt-reklame-v1", "agency": "dpmptsp",
                 "subject": {"kind": kind, "id": "reklame"}, "version": 1, "status": status,
                 "components": dict(FULL), "opening_hours": None, "seq": 0}, **extra)


def chain(n=3):
    doc, entries, previous = standard(status=None), [], None
    actions = ["created", "consultation_opened", "consultation_closed", "adopted"][:n]
    for action in actions:
        entry = rules.new_entry(previous, doc["_id"], AT, SUPERVISOR, action,
                                {"title": action}, doc["status"])
        doc = rules.apply(doc, entry)
        entries.append(entry)
        previous = entry
    return doc, entries


def test_the_chain_verifies_and_shows_an_edit_a_removal_and_a_cut_tail():
    doc, entries = chain(4)
    assert doc["status"] == "adopted" and doc["head"] == entries[-1]["hash"]
    assert rules.verify(entries, doc["head"]) == (True, None)
    edited = [dict(e) for e in entries]
    edited[1]["by"] = "someone-else"
    assert rules.verify(edited) == (False, 2)
    assert rules.verify(entries[:1] + entries[2:]) == (False, 2)
    assert rules.verify(entries[:3], doc["head"]) == (False, 4)


def test_a_step_from_the_wrong_state_is_refused():
    with pytest.raises(IllegalTransition):
        rules.new_entry(None, "x", AT, SUPERVISOR, "adopted", {}, "draft")
    with pytest.raises(IllegalTransition):
        rules.check_step("adopted", "updated")
    rules.check_step("consultation", "updated")  # accepted comments go into the draft


def test_only_the_agencys_supervisor_or_the_admin_manages_its_standards():
    assert rules.manager_agency(SUPERVISOR) == "dpmptsp"
    assert rules.manager_agency({"role": "admin", "username": "a"}, "polres") == "polres"
    with pytest.raises(ValidationFailed):
        rules.manager_agency({"role": "admin", "username": "a"})
    with pytest.raises(Forbidden):
        rules.manager_agency(SUPERVISOR, "polres")
    with pytest.raises(Forbidden):
        rules.manager_agency({"role": "officer", "agency": "dpmptsp", "username": "o"})


def test_a_consultation_needs_all_fourteen_components_and_a_queues_hours():
    assert rules.missing_components(standard()) == {}
    thin = standard(components={k: v for k, v in FULL.items() if k not in ("cost", "oversight")})
    assert set(rules.missing_components(thin)) == {"cost", "oversight"}
    assert "Biaya/tarif" in rules.missing_components(thin)["cost"][0]
    queue = standard("queue_service", components=dict(FULL, time={"minutes": 15}))
    assert set(rules.missing_components(queue)) == {"opening_hours"}
    wrong_unit = standard("queue_service", components=FULL,
                          opening_hours={"mon": ["07:30", "15:00"]})
    assert set(rules.missing_components(wrong_unit)) == {"time"}


def test_adoption_is_refused_while_open_or_with_an_unanswered_comment():
    today = date(2026, 12, 7)
    open_one = standard(consultation={"opens_on": "2026-12-01", "closes_on": "2026-12-10",
                                      "closed_at": None})
    assert rules.consultation_open(open_one, today)
    with pytest.raises(Conflict) as refused:
        rules.check_adoption(open_one, 0, today, today)
    assert "masih dibuka" in refused.value.message
    closed = dict(open_one, consultation=dict(open_one["consultation"],
                                              closed_at="2026-12-07T01:00:00Z"))
    with pytest.raises(Conflict) as refused:
        rules.check_adoption(closed, 2, today, today)
    assert refused.value.details["unanswered"] == 2
    assert "2 masukan belum dijawab" in refused.value.message
    with pytest.raises(ValidationFailed):
        rules.check_adoption(closed, 0, date(2026, 12, 6), today)
    rules.check_adoption(closed, 0, today, today)  # nothing in the way
    with pytest.raises(Conflict) as refused:
        rules.check_adoption(closed, 0, today, today, newer="pt-reklame-v2")
    assert "pt-reklame-v2" in refused.value.message
    with pytest.raises(Conflict):
        rules.check_adoption(standard(status="draft"), 0, today, today)


def test_comments_are_taken_only_inside_the_open_period():
    doc = standard(consultation={"opens_on": "2026-12-08", "closes_on": "2026-12-10",
                                 "closed_at": None})
    with pytest.raises(Conflict):
        rules.check_can_comment(doc, date(2026, 12, 7))
    rules.check_can_comment(doc, date(2026, 12, 10))
    with pytest.raises(Conflict):
        rules.check_can_comment(doc, date(2026, 12, 11))


def test_what_runs_is_compared_with_the_promise_field_by_field():
    doc = standard()
    running = {"requirements": [{"kind": "ktp", "name": "KTP", "required": True}],
               "sla_working_days": 7, "fee": 100000}
    assert rules.differences(doc, running) == []
    assert rules.differences(doc, dict(running, fee=150000)) == [
        {"field": "fee", "promised": 100000, "running": 150000}]
    changed = dict(running, requirements=[])
    assert [d["field"] for d in rules.differences(doc, changed)] == ["requirements"]
    assert rules.differences(doc, None)[0]["field"] == "subject"
    queue = standard("queue_service", components=dict(FULL, time={"minutes": 15}),
                     opening_hours={"mon": ["07:30", "15:00"], "sun": None})
    assert rules.operative(queue) == {"opening_hours": {"mon": ["07:30", "15:00"]},
                                      "default_service_minutes": 15}
    assert rules.differences(queue, {"opening_hours": {"mon": ["07:30", "15:00"]},
                                     "default_service_minutes": 15}) == []
    assert rules.differences(queue, {"opening_hours": {"mon": ["08:00", "15:00"]},
                                     "default_service_minutes": 15})[0]["field"] == \
        "opening_hours"


def test_review_is_due_a_configurable_number_of_months_after_it_takes_effect():
    assert rules.review_due("2026-12-07") == "2027-12-07"
    assert rules.review_due("2024-02-29", 12) == "2025-02-28"
    assert rules.review_due("2026-12-07", 6) == "2027-06-07"
    adopted = standard(status="adopted", review_due="2027-12-07")
    assert not rules.review_overdue(adopted, date(2027, 12, 6))
    assert rules.review_overdue(adopted, date(2027, 12, 7))
    assert not rules.review_overdue(dict(adopted, status="superseded"), date(2028, 1, 1))


def test_the_public_never_sees_a_commenters_name():
    comment = {"comment_id": "K-1", "text": "Mohon dipercepat.", "name": "Siti",
               "group": "users", "at": "2026-12-07T01:00:00Z"}
    public = rules.public_comment(comment, None)
    assert "name" not in public and public["named"] is True
    assert rules.public_comment(comment, None, with_name=True)["name"] == "Siti"
    answered = rules.public_comment(comment, {"outcome": "partly", "reason": "Sebagian.",
                                              "at": "2026-12-08T01:00:00Z"})
    assert answered["answer"]["outcome_label"] == "Diterima sebagian / Partly accepted"
