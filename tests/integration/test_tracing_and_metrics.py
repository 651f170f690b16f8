"""A correlation id follows a call through RPC and events; entrypoints are counted."""
import logging

from nameko.events import EventDispatcher, event_handler
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.errors import NotFound
from services.common.logs import JsonFormatter
from services.common.metrics import CALLS, Metrics, exposition
from services.common.tracing import Correlation
from tests.support import wait_for

SEEN = []


class Front:
    name = "trace_front"
    correlation = Correlation()
    metrics = Metrics()
    dispatch = EventDispatcher()

    @rpc
    def hello(self):
        logging.getLogger("trace_front").info("hello handled")
        self.dispatch("greeted", {})
        return self.correlation

    @rpc
    def missing(self):
        raise NotFound("Tidak ada / Not there")


class Back:
    name = "trace_back"
    correlation = Correlation()

    @event_handler("trace_front", "greeted")
    def on_greeted(self, payload):
        SEEN.append(self.correlation)


def test_correlation_id_follows_rpc_and_events_and_reaches_logs(runner_factory, rabbit_config, caplog):
    runner = runner_factory(rabbit_config, Front, Back)
    runner.start()
    caplog.set_level(logging.INFO, logger="trace_front")
    with ClusterRpcProxy(rabbit_config, context_data={"correlation_id": "req-42"}) as cluster:
        assert cluster.trace_front.hello() == "req-42"
    wait_for(lambda: SEEN, message="the event handler")
    assert SEEN == ["req-42"]
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "trace_front"]
    assert any('"correlation_id": "req-42"' in line for line in lines)


def test_entrypoints_are_counted_by_outcome(runner_factory, rabbit_config):
    runner = runner_factory(rabbit_config, Front, Back)
    runner.start()
    before_ok = CALLS.labels("trace_front", "hello", "ok")._value.get()
    before_refused = CALLS.labels("trace_front", "missing", "refused")._value.get()
    with ClusterRpcProxy(rabbit_config) as cluster:
        cluster.trace_front.hello()
        try:
            cluster.trace_front.missing()
        except NotFound:
            pass
    # nameko sends the RPC reply before the worker_result hooks run: count once they ran.
    wait_for(lambda: CALLS.labels("trace_front", "missing", "refused")._value.get()
             > before_refused and CALLS.labels("trace_front", "hello", "ok")._value.get()
             > before_ok, message="both calls counted")
    assert CALLS.labels("trace_front", "hello", "ok")._value.get() == before_ok + 1
    assert CALLS.labels("trace_front", "missing", "refused")._value.get() == before_refused + 1
    content_type, body = exposition()
    assert b"mpp_entrypoint_seconds_bucket" in body and content_type.startswith("text/plain")
