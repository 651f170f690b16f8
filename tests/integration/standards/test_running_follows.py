"""One source of truth: adopting a standard publishes its operative part by the event
``standard_adopted``, and the services that run the subject follow it: permits makes exactly
one new permit type version (requirements, SLA, fee) and ticketing sets the queue service's
hours and expected minutes, with two instances of each consuming the event and the event
delivered twice. The running configuration and the adopted standard cannot disagree unnoticed:
``compliance()`` is empty after adoption and names the field once an admin changes the type.
A newer adopted version supersedes the older; an adoption whose process died before the
event went out is announced by the outbox."""
from datetime import timedelta

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy

from services.common import clock as clk
from services.common.config import database_name
from services.common.errors import Conflict
from services.common.events import envelope
from services.contracts.standards import ComplianceOutSchema
from services.permits.service import PermitsService
from services.standards import rules
from services.standards.service import StandardsService
from services.ticketing.service import TicketingService
from tests.integration.standards.conftest import (CATALOGUE, SUPERVISOR, TEXT_COMPONENTS,
                                                  consultation, permit_components, start, today)
from tests.support import wait_for

PERMITS_QUEUE = "evt-standards-standard_adopted--permits.on_standard_adopted"
TICKETING_QUEUE = "evt-standards-standard_adopted--ticketing.on_standard_adopted"
NEW_HOURS = {"mon": ["08:00", "14:00"], "tue": ["08:00", "14:00"], "wed": ["08:00", "14:00"],
             "thu": ["08:00", "14:00"], "fri": ["08:00", "11:30"], "sat": ["08:00", "12:00"]}


@pytest.fixture
def twice(runner_factory, config):
    """Standards once; permits and ticketing twice each (two processes' worth of consumers
    sharing each durable queue)."""
    start(runner_factory, config, StandardsService, PermitsService, TicketingService)
    start(runner_factory, config, PermitsService, TicketingService)
    with ServiceRpcProxy("ticketing", config) as ticketing:
        ticketing.load_catalogue(CATALOGUE)
    with ServiceRpcProxy("permits", config) as permits:
        permits.load_catalogue(CATALOGUE)


def adopt(standards, subject, components, effective_from=None, **extra):
    sid = standards.create_draft(SUPERVISOR, dict({
        "subject": subject, "title": "Standar " + subject["id"], "components": components},
        **extra))["id"]
    standards.open_consultation(SUPERVISOR, sid, consultation())
    standards.close_consultation(SUPERVISOR, sid)
    return standards.adopt(SUPERVISOR, sid, {
        "effective_from": (effective_from or today()).isoformat()})


def reklame(permits):
    return next(t for t in permits.list_permit_types("dpmptsp") if t["id"] == "reklame")


def versions(mongo_client, config):
    db = mongo_client[database_name(config, "permits")]
    return sorted(v["version"] for v in db.permit_types.find_one({"_id": "reklame"})["versions"])


def handled(rabbit_manager, vhost, deliveries, name=None):
    """Permits' (or ``name``) queue for the event is empty and has acknowledged
    ``deliveries`` messages (the management API's figures, refreshed every few seconds)."""
    queue = rabbit_manager.get_queue(vhost, name or PERMITS_QUEUE)
    return (queue.get("messages") == 0
            and (queue.get("message_stats") or {}).get("ack", 0) >= deliveries)


def test_the_permit_type_and_the_queue_service_follow_the_adopted_standard(
        twice, rpc, config, mongo_client, rabbit_manager, rabbit_config):
    standards, permits, ticketing = rpc(), rpc("permits"), rpc("ticketing")
    adopted = adopt(standards, {"kind": "permit_type", "id": "reklame"},
                    permit_components(days=7, fee=100000))
    running = wait_for(lambda: reklame(permits)["version"] == 2 and reklame(permits),
                       message="the new reklame version")
    assert (running["sla_working_days"], running["fee"]) == (7, 100000)
    assert [(r["kind"], r["name"]) for r in running["requirements"]] == [
        ("ktp", "KTP pemohon"), ("desain", "Desain reklame")]
    assert running["standard_id"] == adopted["id"]
    assert running["effective_from"] == today().isoformat()
    assert [f["name"] for f in running["form"]] == ["size_m2"]  # the form is kept
    assert running["connector"] == "simulated"

    queue = adopt(standards, {"kind": "queue_service", "id": "nib"},
                  dict(TEXT_COMPONENTS, time={"minutes": 20}, cost={"fee": 0},
                       requirements=[{"kind": "ktp", "name": "KTP pemilik usaha"}]),
                  opening_hours=NEW_HOURS)
    service = wait_for(lambda: ticketing.get_service("nib")["default_service_minutes"] == 20
                       and ticketing.get_service("nib"), message="the new service terms")
    assert service["opening_hours"] == NEW_HOURS
    assert service["standard_id"] == queue["id"]

    # the event again (a redelivery, from either instance): still exactly one new version
    dispatch = event_dispatcher(config)
    for _ in range(3):
        dispatch("standards", "standard_adopted", envelope({
            "event_id": "standard_adopted:" + adopted["id"], "standard_id": adopted["id"],
            "version": 1, "agency": "dpmptsp", "subject": adopted["subject"],
            "effective_from": adopted["effective_from"],
            "operative": rules.operative({"subject": adopted["subject"],
                                          "components": adopted["components"]})}))
    wait_for(lambda: handled(rabbit_manager, rabbit_config["vhost"], 4), timeout=60,
             message="the four deliveries handled")
    assert versions(mongo_client, config) == [1, 2]
    assert standards.compliance() == []
    assert reklame(permits)["version"] == 2

    # an admin edits the queue service by the admin RPC: its promise no longer holds
    ticketing.upsert_service({"id": "nib", "agency": "dpmptsp", "prefix": "N",
                              "name": "Konsultasi NIB", "opening_hours": NEW_HOURS,
                              "default_service_minutes": 30})
    assert [(r["standard_id"], [d["field"] for d in r["differences"]])
            for r in standards.compliance()] == [(queue["id"], ["default_service_minutes"])]


def test_a_standard_adopted_for_a_later_day_leaves_today_as_it_is(twice, rpc, rabbit_manager,
                                                                  rabbit_config):
    standards, permits, ticketing = rpc(), rpc("permits"), rpc("ticketing")
    tomorrow = today() + timedelta(days=1)
    adopt(standards, {"kind": "permit_type", "id": "reklame"},
          permit_components(days=7, fee=100000), effective_from=tomorrow)
    adopt(standards, {"kind": "queue_service", "id": "nib"},
          dict(TEXT_COMPONENTS, time={"minutes": 20}, cost={"fee": 0},
               requirements=[{"kind": "ktp", "name": "KTP"}]),
          effective_from=tomorrow, opening_hours=NEW_HOURS)
    wait_for(lambda: handled(rabbit_manager, rabbit_config["vhost"], 2, TICKETING_QUEUE),
             timeout=60, message="ticketing handled both")
    wait_for(lambda: handled(rabbit_manager, rabbit_config["vhost"], 2), timeout=60,
             message="permits handled both")
    assert (reklame(permits)["version"], reklame(permits)["fee"]) == (1, 150000)
    service = ticketing.get_service("nib")
    assert service["default_service_minutes"] == 15 and service.get("standard_id") is None
    assert standards.compliance() == []  # nothing adopted is in force yet


def test_a_changed_type_disagrees_with_its_standard_and_compliance_says_where(
        twice, rpc):
    standards, permits = rpc(), rpc("permits")
    adopted = adopt(standards, {"kind": "permit_type", "id": "reklame"},
                    permit_components(days=7, fee=100000))
    wait_for(lambda: reklame(permits)["version"] == 2, message="the new reklame version")
    assert standards.compliance() == []

    # an admin edits the type by the admin RPC: a higher fee, one document less
    running = reklame(permits)
    changed = {k: running[k] for k in ("agency", "name", "name_en", "form", "approval_levels",
                                       "connector", "effective_from")}
    changed.update(permit_type_id="reklame", version=3, fee=125000,
                   sla_working_days=running["sla_working_days"],
                   requirements=running["requirements"][:1])
    permits.upsert_permit_type(changed)
    report = standards.compliance()
    assert [(r["standard_id"], r["agency"]) for r in report] == [(adopted["id"], "dpmptsp")]
    assert {d["field"]: (d["promised"], d["running"]) for d in report[0]["differences"]}[
        "fee"] == (100000, 125000)
    assert {d["field"] for d in report[0]["differences"]} == {"fee", "requirements"}
    assert ComplianceOutSchema(many=True).validate(report) == {}
    assert standards.compliance("polres") == []


def test_adopting_version_two_supersedes_version_one(twice, rpc, mongo_client, config):
    standards, permits = rpc(), rpc("permits")
    first = adopt(standards, {"kind": "permit_type", "id": "reklame"},
                  permit_components(days=7, fee=100000))
    wait_for(lambda: reklame(permits)["version"] == 2, message="version 2 of the type")
    second = adopt(standards, {"kind": "permit_type", "id": "reklame"},
                   permit_components(days=5, fee=90000))
    assert second["version"] == 2 and second["id"] == "pt-reklame-v2"
    old = standards.get_standard(first["id"])
    assert (old["status"], old["superseded_by"]) == ("superseded", second["id"])
    assert old["history"][-1]["action"] == "superseded"
    running = wait_for(lambda: reklame(permits)["version"] == 3 and reklame(permits),
                       message="version 3 of the type")
    assert (running["sla_working_days"], running["fee"], running["standard_id"]) == (
        5, 90000, second["id"])
    assert [s["id"] for s in standards.list_standards("dpmptsp", "adopted")] == [second["id"]]
    assert [s["id"] for s in standards.public_standards()] == [second["id"]]


def test_an_older_version_cannot_be_adopted_after_a_newer_one(twice, rpc):
    standards = rpc()
    older = standards.create_draft(SUPERVISOR, {
        "subject": {"kind": "permit_type", "id": "reklame"}, "title": "Versi lama",
        "components": permit_components()})["id"]
    standards.open_consultation(SUPERVISOR, older, consultation())
    standards.close_consultation(SUPERVISOR, older)
    newer = adopt(standards, {"kind": "permit_type", "id": "reklame"},
                  permit_components(days=5))
    with pytest.raises(Conflict) as refused:
        standards.adopt(SUPERVISOR, older, {"effective_from": today().isoformat()})
    assert newer["id"] in refused.value.message
    assert standards.get_standard(older)["status"] == "consultation"


def test_an_adoption_a_dead_process_left_unannounced_is_announced(twice, rpc, db):
    """The process won the adoption's history entry and died before writing the standard
    and publishing the event: its mark in the outbox is all that is left."""
    standards, permits = rpc(), rpc("permits")
    sid = standards.create_draft(SUPERVISOR, {
        "subject": {"kind": "permit_type", "id": "reklame"}, "title": "Standar Reklame",
        "components": permit_components(days=6, fee=80000)})["id"]
    standards.open_consultation(SUPERVISOR, sid, consultation())
    closed = standards.close_consultation(SUPERVISOR, sid)
    head = db.history.find_one({"_id": "{}:{:06d}".format(sid, len(closed["history"]))})
    head.pop("_id")
    long_ago = clk.Clock().now() - timedelta(minutes=1)
    entry = rules.new_entry(head, sid, long_ago, SUPERVISOR, "adopted", {
        "effective_from": today().isoformat(),
        "review_due": rules.review_due(today().isoformat())}, "consultation")
    db.unannounced.insert_one({"_id": sid, "at": clk.iso(long_ago)})
    db.history.insert_one(dict(entry, _id="{}:{:06d}".format(sid, entry["seq"])))

    running = wait_for(lambda: reklame(permits)["version"] == 2 and reklame(permits),
                       timeout=30, message="the outbox's announcement")
    assert (running["fee"], running["standard_id"]) == (80000, sid)
    assert standards.get_standard(sid)["status"] == "adopted"
    assert wait_for(lambda: db.unannounced.find_one({"_id": sid}) is None, message="mark gone")
    assert standards.verify_history(sid)["intact"] is True


def test_a_standard_past_its_review_date_is_due(runner_factory, config):
    config = dict(config, STANDARDS_REVIEW_MONTHS=0)  # reviewed as soon as it takes effect
    start(runner_factory, config, StandardsService, PermitsService, TicketingService)
    with ServiceRpcProxy("ticketing", config) as ticketing:
        ticketing.load_catalogue(CATALOGUE)
    with ServiceRpcProxy("permits", config) as permits:
        permits.load_catalogue(CATALOGUE)
    with ServiceRpcProxy("standards", config) as standards:
        adopted = adopt(standards, {"kind": "permit_type", "id": "reklame"},
                        permit_components())
        assert adopted["review_due"] == today().isoformat() and adopted["review_overdue"]
        assert [s["id"] for s in standards.due_for_review("dpmptsp")] == [adopted["id"]]
        assert standards.due_for_review("polres") == []
        assert standards.public_standards()[0]["review_overdue"] is True


def test_a_service_whose_queue_does_not_exist_yet_still_gets_the_adoption(
        runner_factory, config, rpc, rabbit_manager, rabbit_config):
    """Permits and ticketing are down and their queues for the event gone (as before they
    ever ran) when the standard is adopted: the adoption declares them, so both apply it
    when they start."""
    standards_runner = start(runner_factory, config, StandardsService)
    others = start(runner_factory, config, PermitsService, TicketingService)
    with ServiceRpcProxy("ticketing", config) as ticketing:
        ticketing.load_catalogue(CATALOGUE)
    with ServiceRpcProxy("permits", config) as permits:
        permits.load_catalogue(CATALOGUE)
    standards = rpc()
    sids = []
    for subject, components, extra in (
            ({"kind": "permit_type", "id": "reklame"}, permit_components(fee=90000), {}),
            ({"kind": "queue_service", "id": "nib"},
             dict(TEXT_COMPONENTS, time={"minutes": 25}, cost={"fee": 0},
                  requirements=[{"kind": "ktp", "name": "KTP"}]),
             {"opening_hours": NEW_HOURS})):
        sid = standards.create_draft(SUPERVISOR, dict(
            {"subject": subject, "title": "Standar", "components": components}, **extra))["id"]
        standards.open_consultation(SUPERVISOR, sid, consultation())
        standards.close_consultation(SUPERVISOR, sid)
        sids.append(sid)
    others.stop()
    for queue in (PERMITS_QUEUE, TICKETING_QUEUE):
        rabbit_manager._delete("queues", rabbit_config["vhost"], queue)
    for sid in sids:
        standards.adopt(SUPERVISOR, sid, {"effective_from": today().isoformat()})
    start(runner_factory, config, PermitsService, TicketingService)
    permits, ticketing = rpc("permits"), rpc("ticketing")
    assert wait_for(lambda: reklame(permits)["fee"] == 90000, timeout=30,
                    message="permits applied it")
    assert wait_for(lambda: ticketing.get_service("nib")["default_service_minutes"] == 25,
                    timeout=30, message="ticketing applied it")
    assert standards_runner
