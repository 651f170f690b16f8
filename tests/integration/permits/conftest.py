"""Permits on the real broker and database: the service, its connectors, and a small service
that records every permits event it receives (the way notifications would see them)."""
import base64
import uuid
from collections import defaultdict

import pytest
from eventlet.semaphore import Semaphore
from nameko.events import BROADCAST, event_handler
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.config import database_name
from services.permits.service import PermitsService
from tests import support
from tests.support import wait_for

PERMIT_TYPES = [
    {"id": "pbg", "name": "Persetujuan Bangunan Gedung", "name_en": "Building approval",
     "effective_from": "2026-01-01", "sla_working_days": 28, "fee": 0, "approval_levels": 2,
     "connector": "simulated",
     "requirements": [{"kind": "ktp", "name": "KTP"},
                      {"kind": "gambar", "name": "Gambar teknis"}],
     "form": [{"name": "floors", "type": "integer", "min": 1, "max": 50, "required": True,
               "label": "Jumlah lantai"},
              {"name": "address", "type": "string", "max": 300, "required": True,
               "label": "Alamat"}]},
    support.SIP_TYPE,
    dict(support.REKLAME_TYPE, fee=150000),
]

CATALOGUE = {"agencies": [
    {"code": "dpmptsp", "name": "Dinas Penanaman Modal dan PTSP", "name_en": "One-stop office",
     "services": [], "counters": [], "permit_types": PERMIT_TYPES},
    {"code": "polres", "name": "Polres", "services": [], "counters": [], "permit_types": []},
]}

PDF = support.PDF
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
APPLICANT = dict(support.APPLICANT, email="siti@example.id")


def b64(data):
    return base64.b64encode(data).decode("ascii")


def doc(kind, content=PDF, media_type="application/pdf", filename=None):
    return {"kind": kind, "filename": filename or kind + ".pdf", "media_type": media_type,
            "content": b64(content)}


def filing(permit_type_id="pbg", key=None, applicant=None, **overrides):
    forms = {"pbg": {"floors": 2, "address": "Jl. Tambun Bungai 1"},
             "sip": {"str_number": "STR-123456"}, "reklame": {"size_m2": 4.0}}
    docs = {"pbg": [doc("ktp"), doc("gambar", PNG, "image/png", "gambar.png")],
            "sip": [doc("ktp")], "reklame": [doc("ktp")]}
    data = {"applicant": dict(applicant or APPLICANT), "permit_type_id": permit_type_id,
            "form": forms[permit_type_id], "documents": docs[permit_type_id],
            "idempotency_key": key or "key-" + uuid.uuid4().hex}
    data.update(overrides)
    return data


class Recorder:
    name = "permits_event_recorder"
    seen = defaultdict(list)
    lock = Semaphore()

    def _record(self, event_type, event):
        with self.lock:
            Recorder.seen[event_type].append(event)


EVENT_TYPES = ("application_submitted", "application_status_changed", "application_returned",
               "application_sla_warning", "permit_issued", "permit_revoked",
               "application_forwarded.simulated", "application_forwarded.manual",
               "application_forwarded.webhook", "calendar_changed",
               "application_pin_reissued")

for _event_type in EVENT_TYPES:
    def _make(event_type):
        @event_handler("permits", event_type, handler_type=BROADCAST, reliable_delivery=False)
        def handler(self, event):
            self._record(event_type, event)
        return handler
    setattr(Recorder, "on_" + _event_type.replace(".", "_"), _make(_event_type))


@pytest.fixture
def config(service_config):
    return dict(service_config, PERMITS_SECRET_KEY="test-secret-key-0123456789",
                SIMULATED_CONNECTOR={"delay_seconds": 0.05},
                CONNECTOR_BACKOFF_SECONDS=0.05, CONNECTOR_INLINE_ATTEMPTS=2,
                CONNECTOR_MAX_ATTEMPTS=4, PERMITS_SLA_SWEEP_SECONDS=0,
                PERMITS_VERIFY_URL="https://mpp.example/verify",
                PERMITS_MAX_DOCUMENT_BYTES=2048)


@pytest.fixture
def events():
    Recorder.seen.clear()
    return Recorder.seen


@pytest.fixture
def permits(runner_factory, config, events):
    """The permits service (with the catalogue loaded) and a proxy to the cluster."""
    runner = runner_factory(config, PermitsService, Recorder)
    runner.start()
    with ClusterRpcProxy(config, timeout=30) as cluster:
        cluster.permits.load_catalogue(CATALOGUE)
        cluster.permits.public_key()  # keys are created on first use, not by a test's request
        yield cluster


@pytest.fixture
def clocked(runner_factory, config, events, clock):
    """The permits service under a clock the test moves (the module's ``clock`` fixture), with
    the catalogue loaded, and a proxy to the cluster."""
    service = type("ClockedPermits", (PermitsService,), {"clock": clock})
    runner_factory(config, service, Recorder).start()
    with ClusterRpcProxy(config, timeout=30) as cluster:
        cluster.permits.load_catalogue(CATALOGUE)
        yield cluster


@pytest.fixture
def pdb(mongo_client, config):
    return mongo_client[database_name(config, "permits")]


def snapshot(db):
    """Every collection's documents (to show that a refusal changed nothing)."""
    return {name: sorted(map(repr, db[name].find({})))
            for name in sorted(db.list_collection_names()) if name != "processed_events"}


def wait_state(cluster, application_id, state, agency="dpmptsp", timeout=15):
    return wait_for(lambda: cluster.permits.get_application(application_id, agency)["state"]
                    == state, timeout=timeout, message="application to reach " + state)


def staff(cluster, application_id, action, role="officer", agency="dpmptsp", note=None,
          actor=None, **kwargs):
    return cluster.permits.act(application_id, action, actor or "{}-1".format(role), role,
                               agency,
                               note=note, **kwargs)
