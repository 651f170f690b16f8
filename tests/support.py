"""Helpers and sample data the tests share (import as ``tests.support``)."""
import time
import uuid
from contextlib import contextmanager

import eventlet

# Permit types and an applicant the permits and the gateway tests both file against: one
# definition, so a change to the permit type format is made once.
SIP_TYPE = {
    "id": "sip", "name": "Surat Izin Praktik Bidan", "effective_from": "2026-01-01",
    "sla_working_days": 5, "fee": 0, "approval_levels": 1, "connector": "manual",
    "requirements": [{"kind": "ktp", "name": "KTP"}],
    "form": [{"name": "str_number", "type": "string", "required": True, "label": "STR"}]}
REKLAME_TYPE = {
    "id": "reklame", "name": "Izin Reklame", "effective_from": "2026-01-01",
    "sla_working_days": 3, "fee": 0, "approval_levels": 1, "connector": "webhook",
    "requirements": [{"kind": "ktp", "name": "KTP"}],
    "form": [{"name": "size_m2", "type": "number", "min": 0.5, "max": 200, "required": True,
              "label": "Ukuran"}]}
APPLICANT = {"nik": "6203015708900001", "name": "Siti Aminah", "phone": "0811-5200-0001"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def wait_for(predicate, timeout=10, interval=0.05, message="condition"):
    """Poll until ``predicate()`` is truthy and return its value.

    A bounded wait for something asynchronous (an event handled), never a timing assertion.
    """
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for {}".format(message))
        eventlet.sleep(interval)


@contextmanager
def own_vhost(rabbit_manager, name):
    """A RabbitMQ virtual host of the caller's own (``<name>_<random>``), deleted after;
    yields its AMQP URI."""
    vhost = "{}_{}".format(name, uuid.uuid4().hex[:8])
    rabbit_manager.create_vhost(vhost)
    rabbit_manager.set_vhost_permissions(vhost, "guest", ".*", ".*", ".*")
    try:
        yield "pyamqp://guest:guest@127.0.0.1:5672/{}".format(vhost)
    finally:
        rabbit_manager.delete_vhost(vhost)
