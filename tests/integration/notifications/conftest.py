"""Shared pieces of the notifications integration tests: the service in a nameko container
on a fresh vhost and database, a loopback HTTP provider, and events dispatched as the other
services dispatch them."""
import json
import selectors
import socketserver

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy
from pytest_httpserver import HTTPServer

from services.common.config import database_name
from services.common.events import envelope
from services.notifications.service import NotificationsService
from tests.support import wait_for

TOKEN = "test-token-not-a-secret"
FAST = {"NOTIFY_RETRY_DELAYS": "0.2,0.4,0.8", "NOTIFY_RECIPIENT_WAITS": "10"}


@pytest.fixture
def httpserver(monkeypatch):
    """A real HTTP server on loopback (overrides pytest-httpserver's).

    Its werkzeug server runs in a (green) thread, but ``socketserver`` captured the
    *unpatched* ``selectors.PollSelector`` when pytest loaded the plugin, before the eventlet
    patch: its ``serve_forever`` would block the whole process in a real ``poll()``. So the
    server starts with ``socketserver`` using the (green, when patched) ``SelectSelector``.
    """
    monkeypatch.setattr(socketserver, "_ServerSelector", selectors.SelectSelector)
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def notify_config(service_config):
    """The service's config with short retry tiers; tests add provider keys."""
    return dict(service_config, **FAST)


def providers(httpserver, **extra):
    """Config keys sending WhatsApp to ``/wa`` and SMS to ``/sms`` of ``httpserver``."""
    return dict({"NOTIFY_TEST_MODE": "0",
                 "WHATSAPP_URL": httpserver.url_for("/wa"), "WHATSAPP_TOKEN": TOKEN,
                 "SMS_URL": httpserver.url_for("/sms"), "SMS_TOKEN": TOKEN}, **extra)


@pytest.fixture
def start_notifications(container_factory):
    def start(config):
        container = container_factory(NotificationsService, config)
        container.start()
        return container
    return start


class Events:
    def __init__(self, config):
        self.dispatch = event_dispatcher(config)

    def send(self, source, event_type, payload):
        event = payload if "event_id" in payload else envelope(payload)
        self.dispatch(source, event_type, event)
        return event


@pytest.fixture
def events(notify_config):
    return Events(notify_config)


@pytest.fixture
def messages_db(mongo_client, notify_config):
    return mongo_client[database_name(notify_config, "notifications")]


def rpc(config):
    return ServiceRpcProxy("notifications", config)


def wait_status(config, message_id, statuses, timeout=15):
    statuses = (statuses,) if isinstance(statuses, str) else tuple(statuses)
    with rpc(config) as notifications:
        def done():
            try:
                message = notifications.get_message(message_id)
            except Exception:  # noqa: BLE001 - NotFound until the event is handled
                return None
            return message if message["status"] in statuses else None
        return wait_for(done, timeout=timeout,
                        message="{} to reach {}".format(message_id, statuses))


def sent_to(httpserver, path):
    """JSON bodies the provider received at ``path``."""
    return [json.loads(request.get_data()) for request, _ in httpserver.log
            if request.path == path]


def ticket_issued(ticket_id, phone=None, email=None, number="A-001", language="id"):
    contact = {k: v for k, v in (("phone", phone), ("email", email)) if v} or None
    return {"ticket_id": ticket_id, "number": number, "service_id": "disdukcapil-ktp",
            "agency": "disdukcapil", "priority_group": None, "language": language,
            "contact": contact}


def ticket_called(ticket_id, call_seq=1, number="A-001", counter="Loket 5"):
    return {"ticket_id": ticket_id, "number": number, "service_id": "disdukcapil-ktp",
            "agency": "disdukcapil", "counter_id": "c5", "counter_name": counter,
            "call_seq": call_seq}


def near_front(ticket_id, people_ahead=3, number="A-001"):
    return {"ticket_id": ticket_id, "number": number, "service_id": "disdukcapil-ktp",
            "agency": "disdukcapil", "people_ahead": people_ahead}
