"""pymongo in a real nameko service under eventlet's monkey patching, with many workers at once.

What this shows (and services/common/mongo.py documents): one client per container, shared by
50 concurrent greenthread workers, completes every round trip with no lost or duplicated write.
"""
import eventlet
from nameko.rpc import rpc
from nameko.standalone.rpc import ClusterRpcProxy

from services.common.mongo import Mongo


def ensure(db):
    db.writes.create_index("n", unique=True)


class MongoEcho:
    name = "mongo_echo"
    db = Mongo("mongo_echo", ensure)

    @rpc
    def write_and_read(self, n):
        self.db.writes.insert_one({"n": n})
        eventlet.sleep(0)  # let other workers interleave mid-request
        return self.db.writes.find_one({"n": n})["n"]


def test_many_concurrent_workers_share_one_client(container_factory, service_config):
    config = dict(service_config, max_workers=50)
    container = container_factory(MongoEcho, config)
    container.start()
    provider = next(iter(container.dependencies))

    calls = 500
    with ClusterRpcProxy(config, timeout=60) as cluster:
        pending = [cluster.mongo_echo.write_and_read.call_async(n) for n in range(calls)]
        results = [p.result() for p in pending]

    assert sorted(results) == list(range(calls))
    assert provider.db.writes.count_documents({}) == calls
    assert len(provider.db.writes.distinct("n")) == calls
