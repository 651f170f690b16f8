"""A service standard adopted while permits and ticketing run as two processes each (as
``docker compose up --scale`` would): the permit type gets exactly one new version with the
standard's requirements, SLA and fee, the queue service the standard's hours and minutes, and
the standard then agrees with what runs (``compliance()`` empty)."""
import os
import uuid

import pytest
from nameko.standalone.rpc import ClusterRpcProxy
from nameko.testing.utils import find_free_port

from scripts.suite import Suite
from services.common.config import database_name
from tests.conftest import MONGO_URI
from tests.integration.standards.conftest import (CATALOGUE, SUPERVISOR, TEXT_COMPONENTS,
                                                  consultation, permit_components, today)
from tests.support import wait_for

pytestmark = pytest.mark.e2e

HOURS = {"mon": ["08:00", "14:00"], "tue": ["08:00", "14:00"], "wed": ["08:00", "14:00"],
         "thu": ["08:00", "14:00"], "fri": ["08:00", "11:00"]}


@pytest.fixture
def scaled(rabbit_manager, mongo_client, tmp_path):
    vhost = "mpp_std_{}".format(uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    prefix = "std{}".format(uuid.uuid4().hex[:8])
    env = dict(os.environ, AMQP_URI="pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost),
               MONGO_URI=MONGO_URI, MONGO_DB_PREFIX=prefix,
               GATEWAY_ADDRESS="127.0.0.1:{}".format(find_free_port()))
    suite = Suite(env=env, scale={"permits": 2, "ticketing": 2}, log_dir=tmp_path,
                  services=("ticketing", "permits", "standards"))
    try:
        suite.start()
        yield suite
    finally:
        suite.stop()
        rabbit_manager.delete_vhost(vhost)
        for name in mongo_client.list_database_names():
            if name.startswith(prefix + "_"):
                mongo_client.drop_database(name)


def test_two_processes_each_of_permits_and_ticketing_follow_one_adoption(scaled, mongo_client):
    with ClusterRpcProxy(scaled.config(), timeout=30) as rpc:
        rpc.ticketing.load_catalogue(CATALOGUE)
        rpc.permits.load_catalogue(CATALOGUE)
        ids = []
        for subject, components, extra in (
                ({"kind": "permit_type", "id": "reklame"}, permit_components(days=6, fee=75000),
                 {}),
                ({"kind": "queue_service", "id": "nib"},
                 dict(TEXT_COMPONENTS, time={"minutes": 12}, cost={"fee": 0},
                      requirements=[{"kind": "ktp", "name": "KTP"}]),
                 {"opening_hours": HOURS})):
            sid = rpc.standards.create_draft(SUPERVISOR, dict(
                {"subject": subject, "title": "Standar", "components": components}, **extra))["id"]
            rpc.standards.open_consultation(SUPERVISOR, sid, consultation())
            rpc.standards.close_consultation(SUPERVISOR, sid)
            ids.append(rpc.standards.adopt(SUPERVISOR, sid,
                                           {"effective_from": today().isoformat()})["id"])

        def reklame():
            return next(t for t in rpc.permits.list_permit_types("dpmptsp")
                        if t["id"] == "reklame")
        running = wait_for(lambda: reklame()["version"] == 2 and reklame(), timeout=30,
                           message="the new permit type version")
        assert (running["sla_working_days"], running["fee"], running["standard_id"]) == (
            6, 75000, ids[0])
        service = wait_for(lambda: rpc.ticketing.get_service("nib")["standard_id"] == ids[1]
                           and rpc.ticketing.get_service("nib"), timeout=30,
                           message="the queue service's new terms")
        assert (service["opening_hours"], service["default_service_minutes"]) == (HOURS, 12)
        assert rpc.standards.compliance() == []
    permits_db = mongo_client[database_name(scaled.config(), "permits")]
    assert sorted(v["version"] for v in permits_db.permit_types.find_one(
        {"_id": "reklame"})["versions"]) == [1, 2]
