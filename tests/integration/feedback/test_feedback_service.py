"""The feedback service with the real broker and database: it learns of visits and permits
from events as ticketing and permits dispatch them, invites through notifications, takes one
answer per token, files complaints with their deadline and computes the statistics."""
import csv
import io
from datetime import datetime, timedelta

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy

from services.common import clock as clk
from services.common.config import database_name
from services.common.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from services.common.events import envelope
from services.common.workdays import add_working_days
from services.feedback.service import FeedbackService
from services.notifications.service import NotificationsService
from tests.support import wait_for

NINE = ("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi", "perilaku",
        "pengaduan", "sarana")


@pytest.fixture
def config(service_config):
    return dict(service_config, FEEDBACK_SECRET="feedback-test-secret-0123456789",
                FEEDBACK_SURVEY_URL="https://mpp.example/survey")


@pytest.fixture
def running(runner_factory, config):
    runner = runner_factory(config, FeedbackService, NotificationsService)
    runner.start()
    return runner


@pytest.fixture
def send(config, running):
    dispatch = event_dispatcher(config)

    def send(source, event_type, payload, at=None):
        event = envelope(payload)
        if at is not None:
            event["occurred_at"] = clk.iso(at)
        dispatch(source, event_type, event)
        return event
    return send


@pytest.fixture
def db(mongo_client, config):
    return mongo_client[database_name(config, "feedback")]


def rpc(config, name="feedback"):
    return ServiceRpcProxy(name, config)


def ticket(tid, **extra):
    return dict({"ticket_id": tid, "number": "A-001", "service_id": "ktp",
                 "agency": "disdukcapil"}, **extra)


def visit(send, tid, wait_minutes, served_seconds=300):
    now = clk.Clock().now()
    send("ticketing", "ticket_issued", ticket(
        tid, service_name="Perekaman KTP-el", language="id",
        contact={"phone": "+6281100000001"}), at=now - timedelta(minutes=wait_minutes + 5))
    send("ticketing", "ticket_called", ticket(tid, counter_id="c1", counter_name="Loket 1",
                                              call_seq=1), at=now - timedelta(minutes=5))
    return send("ticketing", "ticket_completed", ticket(tid, counter_id="c1",
                                                        service_seconds=served_seconds), at=now)


def token_of(url):
    assert url.startswith("https://mpp.example/survey#t=")
    return url.split("#t=", 1)[1]


def test_a_completed_visit_is_counted_and_its_citizen_invited_once(config, send, db):
    completed = visit(send, "T-1", wait_minutes=10)
    with rpc(config) as feedback:
        link = wait_for(lambda: _link(feedback, "T-1"), message="the invitation")
        token = token_of(link["survey_url"])
        # the same event delivered again (a redelivery) invites with the same link, once
        send("ticketing", "ticket_completed", dict(completed))
        stats = wait_for(lambda: _stats_with(feedback, lambda s: s["mpp"]["wait_month"]["count"]),
                         message="the wait")
    assert db.invitations.count_documents({}) == 1
    assert stats["mpp"]["visitors_today"] == 1 and stats["mpp"]["visitors_month"] == 1
    assert stats["mpp"]["wait_month"]["average_seconds"] == pytest.approx(600, abs=1)
    assert stats["mpp"]["service_time_month"]["average_seconds"] == 300
    service = stats["agencies"][0]["services"][0]
    assert (service["service_id"], service["service_name"]) == ("ktp", "Perekaman KTP-el")
    # notifications knows the citizen by the ticket and sends the link
    with rpc(config, "notifications") as notifications:
        message = wait_for(lambda: _message(notifications, "survey_invited:T-1"),
                           message="the survey message")
    assert message["kind"] == "survey_invited" and message["reference"] == "T-1"
    assert len(token) == 43


def _link(feedback, reference):
    try:
        return feedback.survey_link(reference)
    except NotFound:
        return None


def _message(notifications, message_id):
    try:
        return notifications.get_message(message_id)
    except NotFound:
        return None


def _stats_with(feedback, predicate):
    stats = feedback.statistics()
    return stats if predicate(stats) else None


def test_a_token_answers_once_and_a_forged_one_is_refused(config, send, db):
    visit(send, "T-2", wait_minutes=3)
    hostile = '<img src=x onerror="alert(1)"> antrean <b>lama</b> & "panas"'
    with rpc(config) as feedback:
        token = token_of(wait_for(lambda: _link(feedback, "T-2"))["survey_url"])
        form = feedback.get_survey(token)
        assert [e["code"] for e in form["elements"]] == list(NINE)
        assert form["answered"] is False and form["service_name"] == "Perekaman KTP-el"
        answers = dict({c: 4 for c in NINE}, waktu=2)
        assert feedback.submit_survey(token, {"answers": answers, "text": hostile})["accepted"]
        with pytest.raises(Conflict) as reused:
            feedback.submit_survey(token, {"answers": answers})
        assert "sudah diisi" in reused.value.message and "already answered" in reused.value.message
        assert feedback.get_survey(token)["answered"] is True
        forged = token[:-1] + ("A" if token[-1] != "A" else "B")
        with pytest.raises(NotFound) as unknown:
            feedback.submit_survey(forged, {"answers": answers})
        assert "tidak dikenal" in unknown.value.message and "Unknown" in unknown.value.message
        with pytest.raises(NotFound):
            feedback.get_survey("../../etc/passwd")
        with pytest.raises(ValidationFailed) as bad:
            feedback.submit_survey(token, {"answers": {"waktu": 5, "rasa": 3}})
        assert "answers" in bad.value.fields
        # the free text is kept as written and handed back as data
        comments = feedback.survey_comments("disdukcapil")
        assert [c["text"] for c in comments["items"]] == [hostile]
        stats = feedback.statistics()
    assert db.responses.count_documents({}) == 1
    ikm = stats["agencies"][0]["ikm"]
    # 8 x 4 + 2 = 34; 34 / 9 = 3.7778; x 25 = 94.445 -> 94.45
    assert (ikm["ikm"], ikm["score"], ikm["grade"], ikm["respondents"]) == (
        "3.7778", "94.45", "A", 1)
    perception = ServiceRpcProxy("feedback", config)
    with perception as feedback:
        seen = feedback.perception("disdukcapil")
    item = seen["items"][0]
    waktu = next(e for e in item["elements"] if e["code"] == "waktu")
    assert (waktu["nrr"], waktu["score"]) == ("2.0000", "50.00")
    assert item["measured"]["wait"]["average_seconds"] == pytest.approx(180, abs=1)


def test_permits_decided_within_and_beyond_their_sla(config, send):
    base = {"agency": "dpmptsp", "permit_type_id": "sip"}
    for app, tracking in (("app-1", "MPP-AAAA-1111"), ("app-2", "MPP-BBBB-2222")):
        send("permits", "application_submitted", dict(
            base, application_id=app, tracking_code=tracking, permit_type_name="SIP Bidan",
            contact={"phone": "+6281100000001"}, language="id"))
    send("permits", "permit_issued", dict(
        base, application_id="app-1", tracking_code="MPP-AAAA-1111",
        permit_type_name="SIP Bidan", permit_number="503/SIP/1", verify_url="https://v/1",
        within_sla=True, sla_working_days=5, sla_working_days_used=3.5))
    send("permits", "application_status_changed", dict(
        base, application_id="app-2", tracking_code="MPP-BBBB-2222", to="rejected",
        seq=4, action="reject", within_sla=False, sla_working_days=5,
        sla_working_days_used=6.0, **{"from": "approval_1"}))
    with rpc(config) as feedback:
        stats = wait_for(lambda: _stats_with(feedback, lambda s: s["mpp"]["sla"]["decided"] == 2),
                         message="both decisions")
        wait_for(lambda: _link(feedback, "app-1"), message="the permit's invitation")
        assert _link(feedback, "app-2") is None  # only an issued permit invites
        csv_text = feedback.statistics_csv()
    assert stats["mpp"]["sla"] == {"decided": 2, "within": 1, "percent": "50.0",
                                   "average_working_days": 4.75}
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert [r["level"] for r in rows] == ["mpp", "agency", "service"]
    assert rows[2]["service_name"] == "SIP Bidan" and rows[2]["sla_percent"] == "50.0"


def test_complaints_are_routed_tracked_and_exported_without_personal_data(config, send):
    visit(send, "T-3", wait_minutes=1)
    with rpc(config) as feedback:
        wait_for(lambda: _link(feedback, "T-3"))
        filed = feedback.file_complaint({"kind": "pengaduan", "reference": "T-3",
                                         "text": "Petugas loket 1 meminta uang tambahan."})
        assert filed["agency"] == "disdukcapil" and filed["status"] == "received"
        received = datetime.fromisoformat(filed["received_at"].replace("Z", "+00:00"))
        assert filed["due_at"] == clk.iso(add_working_days(received, 5))
        with pytest.raises(ValidationFailed) as unknown:
            feedback.file_complaint({"kind": "saran", "reference": "NOPE-1",
                                     "text": "Tolong tambah kursi ruang tunggu."})
        assert "reference" in unknown.value.fields
        with pytest.raises(ValidationFailed) as nowhere:
            feedback.file_complaint({"kind": "saran", "text": "Tolong tambah kursi."})
        assert "agency" in nowhere.value.fields
        other = feedback.file_complaint({"kind": "saran", "agency": "samsat",
                                         "text": "Tolong tambah kursi ruang tunggu."})
        cid = filed["id"]
        # an officer of another agency does not see it
        with pytest.raises(NotFound):
            feedback.update_complaint(cid, {"status": "in_progress", "officer": "budi"},
                                      agency="samsat")
        assert [c["id"] for c in feedback.list_complaints("samsat")["items"]] == [other["id"]]
        feedback.update_complaint(cid, {"status": "in_progress", "officer": "sari"},
                                  agency="disdukcapil")
        with pytest.raises(ValidationFailed):
            feedback.update_complaint(cid, {"status": "answered", "officer": "sari"})
        done = feedback.update_complaint(cid, {"status": "answered", "officer": "sari",
                                               "response": "Sudah ditindak, terima kasih."})
        assert [h["status"] for h in done["history"]] == ["received", "in_progress", "answered"]
        feedback.update_complaint(cid, {"status": "closed", "officer": "sari"})
        with pytest.raises(IllegalTransition):
            feedback.update_complaint(cid, {"status": "in_progress", "officer": "sari"})
        public = feedback.complaint_status(cid)
        assert public["status"] == "closed" and public["response"].startswith("Sudah")
        exported = feedback.lapor_export("disdukcapil")
        as_csv = feedback.lapor_export(None, None, None, "csv")
    row = exported["items"][0]
    assert row["id"] == cid and row["kategori"] == "pengaduan"
    assert row["instansi_tujuan"] == "disdukcapil" and row["layanan"] == "Perekaman KTP-el"
    assert row["referensi"] == "T-3" and row["anonim"] is True
    assert "+62811" not in as_csv and "nik" not in as_csv.lower()
    assert as_csv.splitlines()[0].startswith("id,kategori,judul,isi_laporan,instansi_tujuan")
    assert len(as_csv.splitlines()) == 3


def test_elements_are_configurable_only_when_weights_sum_to_one(config, running):
    with rpc(config) as feedback:
        with pytest.raises(ValidationFailed) as bad:
            feedback.set_elements({"elements": [{"code": c, "name": c, "weight": "0.11"}
                                                for c in NINE]})
        assert "weights" in bad.value.fields
        ten = [{"code": c, "name": c, "weight": "1/10"} for c in NINE + ("kebersihan",)]
        assert len(feedback.set_elements({"elements": ten})["elements"]) == 10
        assert feedback.get_elements()["elements"][-1]["code"] == "kebersihan"


def _race(config, n, attempt):
    """``attempt(feedback)`` from ``n`` clients at once: ``(successes, conflicts)``."""
    import eventlet

    def one(_):
        with rpc(config) as feedback:
            try:
                attempt(feedback)
                return "ok"
            except Conflict:
                return "conflict"
    outcomes = list(eventlet.GreenPool(n).imap(one, range(n)))
    return outcomes.count("ok"), outcomes.count("conflict")


def test_concurrent_answers_and_replies_have_one_winner(config, send, db):
    visit(send, "T-4", wait_minutes=2)
    with rpc(config) as feedback:
        token = token_of(wait_for(lambda: _link(feedback, "T-4"))["survey_url"])
        cid = feedback.file_complaint({"kind": "masukan", "agency": "disdukcapil",
                                       "text": "Papan antrean sulit dibaca dari jauh."})["id"]
    answers = {"answers": {c: 3 for c in NINE}}
    assert _race(config, 8, lambda f: f.submit_survey(token, answers)) == (1, 7)
    assert db.responses.count_documents({}) == 1
    # the step's insert decides; a late reader finds the step taken (409) or the status
    # moved on (an illegal transition, also a 409)
    assert _race(config, 6, lambda f: f.update_complaint(
        cid, {"status": "in_progress", "officer": "petugas"})) == (1, 5)
    with rpc(config) as feedback:
        history = feedback.get_complaint(cid)["history"]
    assert [h["status"] for h in history] == ["received", "in_progress"]
