"""The delivery pipeline on the real broker and database: exactly once, retries through TTL
queues, failover, expiry tied to the ticket, parking and replay, receipts, restart."""
import json

import eventlet
from werkzeug import Response

from services.notifications import simulator
from tests.integration.notifications.conftest import (near_front, providers, rpc, sent_to,
                                                      ticket_called, ticket_issued, wait_status)

PHONE = "+6281234567890"  # not a simulator number: really sent to the loopback provider


def wa_ok(request):
    return Response(json.dumps({"messages": [{"id": "wamid.{}".format(len(request.data))}],
                                "status": "delivered"}), status=200,
                    content_type="application/json")


def test_ticket_issued_in_test_mode_is_delivered_by_the_simulator(
        notify_config, start_notifications, events):
    start_notifications(notify_config)
    events.send("ticketing", "ticket_issued", ticket_issued("T-1", phone="0811-0000-0001"))
    message = wait_status(notify_config, "ticket_issued:T-1", "delivered")
    assert message["channel"] == "whatsapp" and message["attempt"] == 1
    assert message["template"] == "id/ticket_issued.whatsapp"
    assert message["provider_id"].startswith("sim-")
    assert [h["status"] for h in message["history"]] == ["created", "sending", "delivered"]
