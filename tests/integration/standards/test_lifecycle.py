"""A standard's life with the real broker and database: drafted, consulted on, commented,
answered, the forum recorded, closed and adopted; each step hash-chained; adoption refused
while the consultation is open or a comment is unanswered; only the agency's supervisor (or
the admin) acts; public comments limited per address like complaints."""
import base64

import pytest

from services.contracts import standards as sc

from services.common.errors import (Conflict, Forbidden, IllegalTransition, NotFound,
                                    TooManyAttempts, ValidationFailed)
from tests.integration.standards.conftest import (ADMIN, OFFICER, OTHER_SUPERVISOR,
                                                  SUPERVISOR, consultation,
                                                  permit_components, today)

COMMENT = {"text": "Mohon biaya diturunkan untuk UMKM.", "name": "Siti", "group": "business"}
FORUM = {"participants": {"users": 12, "business": 5, "press": 2}, "place": "Aula MPP Kapuas",
         "summary": "Forum membahas persyaratan dan biaya."}


def draft(standards, actor=SUPERVISOR, **extra):
    return standards.create_draft(actor, dict({
        "subject": {"kind": "permit_type", "id": "reklame"}, "title": "Standar Izin Reklame",
        "components": permit_components()}, **extra))


def in_consultation(standards):
    sid = draft(standards)["id"]
    standards.open_consultation(SUPERVISOR, sid, consultation())
    return sid


def test_a_standard_goes_from_draft_to_adopted_and_its_history_holds(suite, rpc, db):
    standards = rpc()
    created = draft(standards)
    assert (created["status"], created["version"], created["agency"]) == ("draft", 1, "dpmptsp")
    assert (created["agency_name"], created["agency_name_en"]) == (
        "Dinas Penanaman Modal dan PTSP", "One-stop office")
    assert (created["subject_name"], created["subject_name_en"]) == (
        "Izin Reklame", "Billboard permit")
    sid = created["id"]
    standards.update_draft(SUPERVISOR, sid, {"title": "Standar Pelayanan Izin Reklame"})
    standards.open_consultation(SUPERVISOR, sid, consultation())
    comment = standards.add_comment(sid, COMMENT, {"address": "10.0.0.1"})
    assert "name" not in comment and comment["named"] is True
    assert standards.list_comments(sid, False)[0]["name"] == "Siti"
    answered = standards.answer_comment(SUPERVISOR, sid, comment["id"],
                                        {"outcome": "partly", "reason": "Keringanan di Perda."})
    assert answered["answer"]["outcome"] == "partly"
    standards.record_forum(SUPERVISOR, sid, dict(FORUM, held_on=today().isoformat()))
    standards.close_consultation(SUPERVISOR, sid)
    adopted = standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})

    assert adopted["status"] == "adopted" and adopted["title"] == "Standar Pelayanan Izin Reklame"
    assert adopted["effective_from"] == today().isoformat()
    assert adopted["review_due"] == today().replace(year=today().year + 1).isoformat()
    assert adopted["review_overdue"] is False
    assert [(h["action"], h["by"]) for h in adopted["history"]] == [
        ("created", "sri.dpm"), ("updated", "sri.dpm"), ("consultation_opened", "sri.dpm"),
        ("comment_answered", "sri.dpm"), ("forum_recorded", "sri.dpm"),
        ("consultation_closed", "sri.dpm"), ("adopted", "sri.dpm")]
    assert all(h["prev"] == p["hash"] for p, h in zip(adopted["history"],
                                                       adopted["history"][1:]))
    assert standards.verify_history(sid) == {"intact": True, "bad_seq": None, "entries": 7}
    public = standards.public_standards("dpmptsp")
    assert [s["id"] for s in public] == [sid] and {h["by"] for h in public[0]["history"]} == {
        None}
    assert base64.b64decode(standards.berita_acara_pdf(sid)).startswith(b"%PDF-")
    assert base64.b64decode(standards.maklumat_pdf(sid)).startswith(b"%PDF-")

    # what the routes declare they answer is what the service answers
    for schema, answer in ((sc.StandardOutSchema(), adopted),
                           (sc.StandardOutSchema(many=True), public),
                           (sc.CommentOutSchema(many=True), standards.list_comments(sid)),
                           (sc.CommentOutSchema(many=True), standards.list_comments(sid, False))):
        assert schema.validate(answer) == {}

    # someone edits a step in the database: the chain shows where
    db.history.update_one({"_id": "{}:000003".format(sid)}, {"$set": {"by": "someone"}})
    assert standards.verify_history(sid)["bad_seq"] == 3


def test_adoption_is_refused_while_the_consultation_is_open_and_with_an_unanswered_comment(
        suite, rpc):
    standards, permits = rpc(), rpc("permits")
    sid = in_consultation(standards)
    comment = standards.add_comment(sid, COMMENT, "10.0.0.1")
    with pytest.raises(Conflict) as refused:
        standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})
    assert "Konsultasi publik masih dibuka" in refused.value.message
    standards.close_consultation(SUPERVISOR, sid)
    with pytest.raises(Conflict) as refused:
        standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})
    assert "1 masukan belum dijawab" in refused.value.message
    assert int(refused.value.details["unanswered"]) == 1
    # refused means nothing changed: still in consultation, the permit type untouched
    assert standards.get_standard(sid)["status"] == "consultation"
    assert permits.list_permit_types("dpmptsp")[0]["version"] == 1
    standards.answer_comment(SUPERVISOR, sid, comment["id"],
                             {"outcome": "rejected", "reason": "Tarif diatur Perda."})
    # revised during the consultation (accepted input goes into the draft), but not emptied
    revised = standards.update_draft(SUPERVISOR, sid, {"components": {"complaints": []}})
    assert revised["status"] == "consultation"
    with pytest.raises(ValidationFailed) as refused:
        standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})
    assert "complaints" in refused.value.fields["components"]
    standards.update_draft(SUPERVISOR, sid, {"components": {"complaints": ["SP4N-LAPOR!"]}})
    with pytest.raises(Conflict):  # one answer per comment
        standards.answer_comment(SUPERVISOR, sid, comment["id"],
                                 {"outcome": "accepted", "reason": "Lain."})
    assert standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})[
        "status"] == "adopted"
    with pytest.raises(IllegalTransition):
        standards.update_draft(SUPERVISOR, sid, {"title": "Diubah setelah ditetapkan"})


def test_only_the_agencys_supervisor_or_the_admin_manages_its_standards(suite, rpc):
    standards = rpc()
    sid = draft(standards)["id"]
    for actor in (OTHER_SUPERVISOR, OFFICER, None):
        with pytest.raises(Forbidden):
            standards.update_draft(actor, sid, {"title": "Bukan milik saya"})
    with pytest.raises(Forbidden):
        draft(standards, OTHER_SUPERVISOR, agency="dpmptsp")
    with pytest.raises(ValidationFailed) as refused:  # another agency's queue service
        standards.create_draft(SUPERVISOR, {"subject": {"kind": "queue_service", "id": "skck"},
                                            "title": "SKCK"})
    assert "subject" in refused.value.fields
    assert standards.update_draft(ADMIN, sid, {"title": "Oleh admin"})["title"] == "Oleh admin"
    assert draft(standards, ADMIN, agency="dpmptsp")["version"] == 2


def test_bad_input_is_a_422_with_field_messages_and_changes_nothing(suite, rpc):
    standards = rpc()
    sid = draft(standards)["id"]
    with pytest.raises(ValidationFailed) as refused:
        standards.update_draft(SUPERVISOR, sid, {"components": {"cost": {"fee": "gratis"}},
                                                 "title": {"$gt": ""}})
    assert set(refused.value.fields) == {"components", "title"}
    with pytest.raises(ValidationFailed) as refused:  # incomplete standards are not consulted on
        thin = standards.create_draft(SUPERVISOR, {
            "subject": {"kind": "permit_type", "id": "reklame"}, "title": "Tipis"})
        standards.open_consultation(SUPERVISOR, thin["id"], consultation())
    assert "product" in refused.value.fields["components"]
    assert standards.get_standard(sid)["history"][-1]["action"] == "created"
    with pytest.raises(NotFound):
        standards.get_standard("pt-tidak-ada-v1")
    with pytest.raises(ValidationFailed):
        standards.get_standard({"$gt": ""})


def test_public_comments_have_complaints_limits(suite, rpc, config):
    standards = rpc()
    sid = draft(standards)["id"]
    with pytest.raises(NotFound):  # a draft is not public
        standards.add_comment(sid, COMMENT, "10.0.0.1")
    standards.open_consultation(SUPERVISOR, sid, consultation())
    with pytest.raises(ValidationFailed) as refused:
        standards.add_comment(sid, {"text": "Pendek", "name": None}, "10.0.0.1")
    assert "text" in refused.value.fields
    first = standards.add_comment(sid, COMMENT, {"address": "10.0.0.1",
                                                 "idempotency_key": "retry-1"})
    again = standards.add_comment(sid, COMMENT, {"address": "10.0.0.1",
                                                 "idempotency_key": "retry-1"})
    assert again["id"] == first["id"]  # a retried request finds the first comment
    for _ in range(4):  # the daily limit is 5 per address and standard
        standards.add_comment(sid, COMMENT, {"address": "10.0.0.1"})
    with pytest.raises(TooManyAttempts):
        standards.add_comment(sid, COMMENT, {"address": "10.0.0.1"})
    standards.add_comment(sid, dict(COMMENT, name=None), {"address": "10.0.0.2"})
    comments = standards.list_comments(sid)
    assert len(comments) == 6 and all("name" not in c for c in comments)
    standards.close_consultation(SUPERVISOR, sid)
    with pytest.raises(Conflict):  # closed: no more comments
        standards.add_comment(sid, COMMENT, {"address": "10.0.0.3"})


def test_two_supervisors_at_once_one_adoption_and_every_answer_kept(suite, rpc):
    """Answers to different comments all land (an answer retries on a newer head); two
    adoptions of one standard: one wins, the other is refused."""
    import eventlet

    standards = rpc()
    sid = in_consultation(standards)
    ids = [standards.add_comment(sid, COMMENT, "10.0.1.{}".format(n))["id"] for n in range(6)]
    proxies = [rpc() for _ in ids]

    def answer(proxy, cid):
        return proxy.answer_comment(SUPERVISOR, sid, cid, {"outcome": "accepted",
                                                           "reason": "Diterima."})
    pool = eventlet.GreenPool()
    answered = list(pool.starmap(answer, zip(proxies, ids)))
    assert len(answered) == 6 and all(c["answer"] for c in standards.list_comments(sid))
    assert [h["action"] for h in standards.get_standard(sid)["history"]].count(
        "comment_answered") == 6
    standards.close_consultation(SUPERVISOR, sid)

    def adopt(proxy):
        try:
            return proxy.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})
        except (Conflict, IllegalTransition) as refused:
            return refused
    outcomes = list(pool.imap(adopt, proxies[:2]))
    assert sorted(isinstance(o, dict) for o in outcomes) == [False, True]
    history = standards.get_standard(sid)["history"]
    assert [h["action"] for h in history].count("adopted") == 1
    assert standards.verify_history(sid)["intact"] is True


def test_a_draft_whose_drafter_died_before_its_first_entry_is_not_listed(suite, rpc, db):
    standards = rpc()
    kept = draft(standards)
    db.standards.insert_one(dict(db.standards.find_one({"_id": kept["id"]}),
                                 _id="pt-reklame-v9", status=None, seq=0, version=9))
    assert [s["id"] for s in standards.list_standards("dpmptsp")] == [kept["id"]]
    with pytest.raises(NotFound):
        standards.get_standard("pt-reklame-v9")
