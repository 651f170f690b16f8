"""The standards routes over HTTP with the real services (broker and database): bad input is a
422 naming its fields and changes nothing; another agency's supervisor gets 403 and an
officer 403; the public reads adopted standards and those in consultation only, and never
staff usernames or anything of a commenter beyond the name they chose to give; adoption
waits for the consultation to close and every comment to be answered; the PDFs are PDFs."""
import pytest

from services.contracts import standards as sc

from tests.integration.gateway.helpers import STANDARD_COMPONENTS as COMPONENTS
from tests.integration.gateway.helpers import STANDARD_DRAFT as DRAFT
from tests.integration.gateway.helpers import TODAY, assert_problem, bearer

OWN = "dpmptsp"


@pytest.fixture
def staff(api):
    return {who: bearer(api, who) for who in (
        "admin", "dpmptsp.supervisor", "dpmptsp.officer", "samsat.supervisor")}


def _draft(api, headers):
    made = api.post("/api/v1/standards", json=DRAFT, headers=headers)
    assert made.status_code == 201, made.text
    return made.json()


def _in_consultation(api, headers):
    standard = _draft(api, headers)
    opened = api.post("/api/v1/standards/{}/consultation".format(standard["id"]), headers=headers,
                      json={"opens_on": TODAY, "closes_on": "2099-12-31",
                            "invited_groups": ["users", "business"]})
    assert opened.status_code == 200, opened.text
    return standard["id"]


def test_bad_input_is_a_422_naming_its_fields_and_changes_nothing(api, staff):
    supervisor = staff["dpmptsp.supervisor"]
    bad = dict(DRAFT, title="", subject={"kind": "planet", "id": "reklame"},
               components=dict(COMPONENTS, time={"working_days": 0}))
    problem = assert_problem(api.post("/api/v1/standards", json=bad, headers=supervisor), 422)
    fields = problem["errors"]
    assert "title" in fields and "kind" in fields["subject"]
    assert "working_days" in fields["components"]["time"]
    assert all(" / " in m for m in fields["title"])  # Indonesian / English
    listed = api.get("/api/v1/standards", headers=supervisor).json()["standards"]
    assert listed == []

    standard_id = _in_consultation(api, supervisor)
    path = "/api/v1/public/standards/{}/comments".format(standard_id)
    short = assert_problem(api.post(path, json={"text": "pendek"}), 422)
    assert "text" in short["errors"]
    wrong_group = assert_problem(api.post(path, json={"text": "Cukup panjang untuk dibaca.",
                                                      "group": "aliens"}), 422)
    assert "group" in wrong_group["errors"]
    assert api.get(path).json()["comments"] == []
    answer = "/api/v1/standards/{}/comments/nope/answer".format(standard_id)
    refused = assert_problem(api.post(answer, json={"outcome": "maybe"}, headers=supervisor),
                             422)
    assert {"outcome", "reason"} <= set(refused["errors"])


def test_another_agencys_supervisor_and_an_officer_are_refused(api, staff):
    standard_id = _in_consultation(api, staff["dpmptsp.supervisor"])
    base = "/api/v1/standards/" + standard_id
    attempts = [("GET", base, None), ("PUT", base, {"title": "Diambil alih"}),
                ("GET", base + "/comments", None),
                ("POST", base + "/forum", {"held_on": "2026-01-06", "place": "Aula",
                                           "participants": {"users": 3}, "summary": "Ringkas"}),
                ("POST", base + "/consultation/close", None),
                ("POST", base + "/adopt", {"effective_from": "2026-02-01"})]
    for method, path, body in attempts:
        other = api.request(method, path, json=body, headers=staff["samsat.supervisor"])
        assert other.status_code in (403, 404), (method, path, other.text)
        officer = api.request(method, path, json=body, headers=staff["dpmptsp.officer"])
        assert_problem(officer, 403)
        assert_problem(api.request(method, path, json=body), 401)
    # creating for another agency, and listing it
    assert_problem(api.post("/api/v1/standards", json=DRAFT,
                            headers=staff["samsat.supervisor"]), 403)
    assert_problem(api.get("/api/v1/standards", params={"agency": OWN},
                           headers=staff["samsat.supervisor"]), 403)
    # nothing changed: still in consultation, same title, not closed
    mine = api.get(base, headers=staff["dpmptsp.supervisor"]).json()
    assert mine["status"] == "consultation" and mine["title"] == DRAFT["title"]
    assert api.get(base, headers=staff["admin"]).status_code == 200


def test_the_public_reads_no_draft_and_no_personal_data(api, staff):
    supervisor = staff["dpmptsp.supervisor"]
    draft = _draft(api, supervisor)
    assert_problem(api.get("/api/v1/public/standards/" + draft["id"]), 404)
    assert_problem(api.get("/api/v1/public/standards/{}/maklumat.pdf".format(draft["id"])), 404)
    assert draft["id"] not in api.get("/api/v1/public/standards").text

    standard_id = _in_consultation(api, supervisor)
    path = "/api/v1/public/standards/{}/comments".format(standard_id)
    named = api.post(path, json={"text": "Persyaratan terlalu banyak untuk usaha kecil.",
                                 "name": "Siti Rahmawati", "group": "business"})
    assert named.status_code == 201, named.text
    anonymous = api.post(path, json={"text": "Mohon loket dibuka sampai sore hari."})
    assert anonymous.status_code == 201, anonymous.text

    comments = api.get(path)
    assert "Siti Rahmawati" not in comments.text
    assert {(c["named"], c["group"]) for c in comments.json()["comments"]} == {
        (True, "business"), (False, None)}
    for comment in comments.json()["comments"]:
        assert set(comment) == {"id", "text", "group", "named", "at", "answer"}, comment
    # the agency that answers reads the name it was given
    staff_view = api.get("/api/v1/standards/{}/comments".format(standard_id),
                         headers=supervisor).json()["comments"]
    assert "Siti Rahmawati" in {c.get("name") for c in staff_view}
    public = api.get("/api/v1/public/standards/" + standard_id).json()
    text = api.get("/api/v1/public/standards").text + str(public)
    assert "dpmptsp.supervisor" not in text and "127.0.0.1" not in text
    assert all(h["by"] is None for h in public["history"])
    # what is answered is what the document declares (docs/openapi: StandardOut, CommentOut)
    assert sc.StandardOutSchema().validate(public) == {}
    assert sc.CommentOutSchema(many=True).validate(comments.json()["comments"]) == {}
    assert public["status"] == "consultation"
    assert public["components"]["time"] == {"working_days": 3}


def test_adoption_waits_for_closing_and_every_answer_then_the_pdfs_download(api, staff):
    supervisor = staff["dpmptsp.supervisor"]
    standard_id = _in_consultation(api, supervisor)
    base = "/api/v1/standards/" + standard_id
    posted = api.post("/api/v1/public/standards/{}/comments".format(standard_id),
                      json={"text": "Tolong cantumkan biaya dengan jelas di loket."})
    assert posted.status_code == 201, posted.text
    comment_id = posted.json()["id"]
    adopt = {"effective_from": TODAY}

    assert_problem(api.post(base + "/adopt", json=adopt, headers=supervisor), 409)  # still open
    forum = api.post(base + "/forum", headers=supervisor, json={
        "held_on": TODAY, "place": "Aula MPP", "participants": {"users": 8, "press": 1},
        "summary": "Peserta meminta kejelasan biaya."})
    assert forum.status_code == 200, forum.text
    closed = api.post(base + "/consultation/close", headers=supervisor)
    assert closed.status_code == 200, closed.text
    refused = assert_problem(api.post(base + "/adopt", json=adopt, headers=supervisor), 409)
    assert refused["detail"]
    assert api.get(base, headers=supervisor).json()["status"] == "consultation"

    answered = api.post("{}/comments/{}/answer".format(base, comment_id), headers=supervisor,
                        json={"outcome": "accepted", "reason": "Biaya ditempel di loket."})
    assert answered.status_code == 200, answered.text
    adopted = api.post(base + "/adopt", json=adopt, headers=supervisor)
    assert adopted.status_code == 200, adopted.text
    assert adopted.json()["status"] == "adopted"

    for name in ("maklumat", "berita-acara"):
        pdf = api.get("/api/v1/public/standards/{}/{}.pdf".format(standard_id, name))
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        assert ".pdf" in pdf.headers["Content-Disposition"]
    listed = api.get("/api/v1/public/standards", params={"agency": OWN}).json()["standards"]
    assert [s["id"] for s in listed if s["id"] == standard_id] == [standard_id]
    answers = api.get("/api/v1/public/standards/{}/comments".format(standard_id)).json()
    assert answers["comments"][0]["answer"]["outcome"] == "accepted"
