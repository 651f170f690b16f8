"""Durable work queues as RabbitMQ quorum queues (``AMQP_QUORUM_QUEUES``), both ways, on the
local broker: the whole suite and a connector built with the kit start, a ticket taken over HTTP (gateway → ticketing RPC) is
announced (ticketing's event → notifications' handler) and its message delivered (the
notifications work queue), and the management API shows which queues are quorum ones: every
RPC queue, event handler queue and notifications work/retry/parking queue when the setting is
on; none when it is off; the RPC reply queues and the gateway's live feed classic either way.
A service whose queues exist with the other type refuses to start with one clear line."""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.permits.connectors.simulated import SimulatedConnector
from tests.conftest import MONGO_URI
from tests.integration.test_foundation_flow import CATALOGUE
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]

SERVICES = ("ticketing", "permits", "notifications", "feedback", "gateway")


def durable_work_queue(name):
    return name.startswith(("rpc-", "evt-", "notifications.")) and not name.startswith("rpc.reply")


@pytest.mark.parametrize("quorum", [True, False], ids=["quorum", "classic"])
def test_the_suite_works_on_the_queue_type_the_setting_names(
        quorum, start_suite, runner_factory, service_config, web_session, rabbit_manager,
        rabbit_config):
    service_config["AMQP_QUORUM_QUEUES"] = "1" if quorum else "0"
    start_suite(service_config, CATALOGUE)
    runner_factory(service_config, SimulatedConnector).start()  # built with the connector kit

    response = web_session.post("/api/v1/tickets", json={"service_id": "samsat-pkb",
                                                          "contact": {"phone": "081100000001"}})
    assert response.status_code == 201, response.text
    ticket = response.json()
    assert ticket["number"] == "H-001"

    with ServiceRpcProxy("notifications", service_config) as notifications:
        messages = wait_for(
            lambda: [m for m in notifications.messages_for(ticket["id"])
                     if m["status"] in ("sent", "delivered")],
            message="the ticket's message delivered through the work queue")
    assert [m["kind"] for m in messages] == ["ticket_issued"]

    queues = {q["name"]: q for q in rabbit_manager.get_queues(rabbit_config["vhost"])}
    work = {name: q["type"] for name, q in queues.items() if durable_work_queue(name)}
    for service in SERVICES:
        assert "rpc-" + service in work, sorted(work)
    assert "evt-ticketing-ticket_contact_given--notifications.on_ticket_contact_given" in work
    assert "evt-permits-application_forwarded.simulated--connector_simulated.on_forwarded" in work
    assert "rpc-connector_simulated" in work
    assert {"notifications.work", "notifications.parking"} <= set(work)
    assert any(name.startswith("notifications.retry.") for name in work)
    expected = "quorum" if quorum else "classic"
    assert {name for name, kind in work.items() if kind != expected} == set(), work

    others = {name: q["type"] for name, q in queues.items() if not durable_work_queue(name)}
    assert any(name.startswith("rpc.reply") for name in others)
    assert any(name.startswith("live-ticketing--gateway") for name in others)
    assert set(others.values()) == {"classic"}, others


@pytest.mark.parametrize("existing, setting", [("classic", "1"), ("quorum", "0")])
def test_a_service_refuses_to_start_on_queues_of_the_other_type(
        existing, setting, rabbit_config, db_prefix):
    """A queue's type is fixed once declared: a service started on a vhost whose queues are of
    the other type says so in one line and exits 2, instead of waiting for ever."""
    from kombu import Connection, Queue

    arguments = {"x-queue-type": "quorum"} if existing == "quorum" else {}
    with Connection(rabbit_config["AMQP_URI"]) as connection:
        Queue("rpc-feedback", durable=True, queue_arguments=arguments)(
            connection.channel()).declare()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "MPP_ENV": "development",
           "AMQP_URI": rabbit_config["AMQP_URI"], "MONGO_URI": MONGO_URI,
           "MONGO_DB_PREFIX": db_prefix, "AMQP_QUORUM_QUEUES": setting}
    done = subprocess.run([sys.executable, "-m", "scripts.serve", "feedback"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("mpp feedback")]
    assert len(lines) == 1, done.stderr[-2000:]
    assert "rpc-feedback" in lines[0] and "{} queue".format(existing) in lines[0]
    assert "docs/scaling.md" in lines[0]
