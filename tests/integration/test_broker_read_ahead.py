"""Messages arrive whole and in order when the AMQP socket is read ahead
(``services.common.broker.READ_AHEAD``): frames that end mid-read, that straddle two reads,
that span several reads, and many messages in one read."""
import os
import uuid

import kombu

from services.common import broker

#: around the read size, a frame's header and end marker, and past RabbitMQ's frame size
SIZES = [0, 1, 6, 7, 8, 100, 5000, broker.READ_AHEAD - 8, broker.READ_AHEAD - 1,
         broker.READ_AHEAD, broker.READ_AHEAD + 1, 40000, 131072 + 5, 1024 * 1024 + 3]


def _round_trip(amqp_uri, bodies):
    """Publish ``bodies``, then consume them all; returns (bodies received, socket reads)."""
    broker.install()  # as services.common.boot.install does
    name = "read-ahead-{}".format(uuid.uuid4().hex[:8])
    with kombu.Connection(amqp_uri) as conn:
        queue = kombu.Queue(name, exchange=kombu.Exchange(name, type="direct"), routing_key=name,
                            auto_delete=True)
        producer = conn.Producer()
        for body in bodies:  # all waiting before anything is read
            producer.publish(body, exchange=queue.exchange, routing_key=name,
                             declare=[queue], content_type="application/octet-stream",
                             content_encoding="binary")
        reads = []
        transport = conn.connection.transport
        recv = transport._quick_recv
        transport._quick_recv = lambda n: reads.append(n) or recv(n)
        received = []
        with conn.Consumer(queue, callbacks=[lambda _, msg: (received.append(msg.body or b""),
                                                             msg.ack())]):
            while len(received) < len(bodies):
                conn.drain_events(timeout=10)
    return received, len(reads)


def test_messages_of_every_size_arrive_whole_and_in_order(rabbit_config):
    bodies = [os.urandom(size) for size in SIZES * 5]
    received, _ = _round_trip(rabbit_config["AMQP_URI"], bodies)
    assert [len(b) for b in received] == [len(b) for b in bodies]
    assert received == bodies


def test_small_messages_take_fewer_reads_than_messages(rabbit_config):
    bodies = [os.urandom(size) for size in range(50, 2050, 20)]  # 100 messages
    received, reads = _round_trip(rabbit_config["AMQP_URI"], bodies)
    assert received == bodies
    assert reads < len(bodies) / 2  # py-amqp alone reads three times per frame: 900 here
