import pytest

from services.notifications import channels, lifecycle, simulator
from services.notifications.preferences import normalise_phone


def message(to, channel="sms", attempt=1):
    return {"id": "ticket_called:T-1:1", "kind": "ticket_called", "channel": channel,
            "attempt": attempt, "to": to, "language": "id",
            "content": {"text": "x", "subject": "s", "name": "n", "parameters": [],
                        "payload": {}}}


NO_PROVIDER = {"sms": {"url": "http://127.0.0.1:9/never", "token": "t"},
               "whatsapp": {"url": "http://127.0.0.1:9/never", "token": "t"},
               "email": {"host": "127.0.0.1", "port": 9, "from": "a@b.id"},
               "webhook": {"secret": "s"}}


def test_reserved_numbers_are_what_the_docs_say():
    assert normalise_phone("+62 811-0000-0001") == simulator.PHONE_DELIVERED
    assert [simulator.outcome_for(normalise_phone("+62 811-0000-000%d" % i))
            for i in range(1, 6)] == ["delivered", "temporary_failure", "permanent_failure",
                                      "technical_failure", "no_receipt"]
    assert simulator.outcome_for("Delivered@simulator.mpp.test") == "delivered"
    assert simulator.outcome_for("https://simulator.mpp.test/permanent-failure") == \
        "permanent_failure"
    assert simulator.outcome_for("+6281234567890") is None
    assert simulator.outcome_for("warga@example.id") is None


@pytest.mark.parametrize("channel,to,status", [
    ("sms", simulator.PHONE_DELIVERED, "delivered"),
    ("whatsapp", simulator.PHONE_PERMANENT, "permanent_failure"),
    ("sms", simulator.PHONE_TECHNICAL, "technical_failure"),
    ("whatsapp", simulator.PHONE_NO_RECEIPT, "sending"),
    ("email", "delivered@simulator.mpp.test", "delivered"),
    ("email", "permanent-failure@simulator.mpp.test", "permanent_failure"),
    ("webhook", "https://simulator.mpp.test/technical-failure", "technical_failure"),
])
def test_simulated_outcomes_without_any_provider(channel, to, status):
    # NO_PROVIDER points at a closed port: a real send would be a technical failure
    result = channels.send(message(to, channel), NO_PROVIDER)
    assert result.status == status
    assert result.raw["simulated"] is True and result.provider_id.startswith("sim-")


def test_temporary_failure_number_fails_twice_then_is_delivered():
    statuses = [channels.send(message(simulator.PHONE_TEMPORARY, attempt=n), NO_PROVIDER).status
                for n in (1, 2, 3, 4)]
    assert statuses == ["temporary_failure", "temporary_failure", "delivered", "delivered"]


def test_retry_loop_with_the_simulator_ends_delivered_after_two_retries():
    attempt, channel, seen = 1, "whatsapp", []
    while True:
        result = channels.send(message(simulator.PHONE_TEMPORARY, channel, attempt), NO_PROVIDER)
        seen.append((channel, attempt, result.status))
        decision = lifecycle.decide(result.status, channel, attempt, ["whatsapp", "sms"])
        if decision.action not in (lifecycle.RETRY, lifecycle.FAILOVER):
            break
        channel, attempt = decision.channel, decision.attempt
    assert decision.action == lifecycle.DONE and decision.status == "delivered"
    assert seen == [("whatsapp", 1, "temporary_failure"), ("whatsapp", 2, "temporary_failure"),
                    ("whatsapp", 3, "delivered")]


def test_permanent_failure_falls_over_to_the_next_channel():
    order = ["whatsapp", "email"]
    first = channels.send(message(simulator.PHONE_PERMANENT, "whatsapp"), NO_PROVIDER)
    decision = lifecycle.decide(first.status, "whatsapp", 1, order)
    assert (decision.action, decision.channel) == (lifecycle.FAILOVER, "email")
    second = channels.send(message("delivered@simulator.mpp.test", "email"), NO_PROVIDER)
    assert second.status == "delivered"


def test_test_mode_simulates_every_address_as_delivered():
    result = channels.send(message("+6281234567890"), dict(NO_PROVIDER, test_mode=True))
    assert result.status == "delivered" and result.raw["simulated"]
    real = channels.send(message("+6281234567890"), NO_PROVIDER)
    assert real.status == "technical_failure" and "simulated" not in real.raw


def test_unknown_channel_is_a_programming_error():
    with pytest.raises(ValueError):
        channels.send(message("+6281234567890", "pigeon"), NO_PROVIDER)
