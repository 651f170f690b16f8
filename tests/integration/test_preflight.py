"""Bad configuration gives one clear line naming what to fix, not a traceback loop."""
import socket

from scripts import preflight
from services.common import config as cfg


def test_reachable_parts_and_a_free_port_pass(service_config):
    assert preflight.check(service_config) == []


def test_unreachable_broker_database_and_taken_port_are_named():
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        config = cfg.load(AMQP_URI="pyamqp://guest:secret@127.0.0.1:1/",
                          MONGO_URI="mongodb://127.0.0.1:1/",
                          WEB_SERVER_ADDRESS="127.0.0.1:{}".format(port))
        lines = preflight.check(config)
    finally:
        taken.close()
    assert len(lines) == 3
    assert "RabbitMQ not reachable" in lines[0] and "AMQP_URI" in lines[0]
    assert "secret" not in lines[0]  # the password is never printed
    assert "database not reachable" in lines[1] and "MONGO_URI" in lines[1]
    assert "port {} is taken".format(port) in lines[2] and "GATEWAY_ADDRESS" in lines[2]
