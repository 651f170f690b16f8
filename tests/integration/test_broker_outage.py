"""A service whose broker goes away mid-request keeps running and serves again once it is back
(``services.common.broker``).

A RabbitMQ node of the test's own (``tests/e2e/private_infra``) is stopped while a worker is
busy; the worker then finishes and its reply and ack meet a dead connection. Before the fix
nameko treated that as fatal and killed the container.
"""
import eventlet
import pytest
from eventlet.event import Event
from nameko.containers import ServiceContainer
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from services.common import broker
from tests.support import wait_for

pytestmark = pytest.mark.timeout(180)


class Slow:
    name = "slow"
    release = None

    @rpc
    def work(self, n):
        if n == 0:
            Slow.release.wait()  # busy while the broker goes away
        return n


@pytest.fixture
def slow_service(private_rabbit):
    """The service in a container of this test's own, killed before its broker goes: a
    container whose broker is gone waits for it to come back before it can finish."""
    broker.install()  # as services.common.boot.install does
    Slow.release = Event()
    config = {"AMQP_URI": private_rabbit.amqp_uri, "serializer": "json", "max_workers": 4}
    container = ServiceContainer(Slow, config)
    container.start()
    try:
        yield container
    finally:
        if not Slow.release.ready():
            Slow.release.send(True)
        if private_rabbit.process is None:
            private_rabbit.start()
        container.kill()


def test_a_reply_and_ack_lost_with_the_broker_do_not_kill_the_service(private_rabbit,
                                                                      slow_service):
    container = slow_service
    with ClusterRpcProxy(container.config, timeout=30) as cluster:
        cluster.slow.work.call_async(0)   # its reply will meet a dead connection
        wait_for(lambda: len(container._worker_threads) == 1, message="the worker busy")
    private_rabbit.stop()
    Slow.release.send(True)
    wait_for(lambda: not container._worker_threads, timeout=60, message="the worker done")
    eventlet.sleep(1)
    assert not container._died.ready(), "the container survived the lost reply and ack"

    private_rabbit.start()
    with ClusterRpcProxy(container.config, timeout=30) as cluster:
        assert wait_for(lambda: _call(cluster), timeout=60, interval=0.5,
                        message="the service answering again") == 7


def _call(cluster):
    try:
        return cluster.slow.work(7)
    except Exception:  # noqa: BLE001 - still reconnecting
        return None
