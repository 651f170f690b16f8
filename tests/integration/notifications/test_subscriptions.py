"""The handlers declared from ``facts.SUBSCRIPTIONS`` consume the durable queues a running
broker already holds for them."""
from nameko.events import EventHandler

from tests.unit.notifications.test_subscriptions import QUEUES


def test_the_running_service_consumes_the_deployed_queues(notify_config, start_notifications,
                                                          rabbit_config, rabbit_manager):
    container = start_notifications(notify_config)
    consumed = {e.queue.name for e in container.entrypoints if isinstance(e, EventHandler)}
    assert consumed == QUEUES
    declared = {q["name"] for q in rabbit_manager.get_queues(rabbit_config["vhost"])}
    assert QUEUES <= declared
    assert all(q["durable"] for q in rabbit_manager.get_queues(rabbit_config["vhost"])
               if q["name"] in QUEUES)
