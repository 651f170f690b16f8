"""The gateway database's side of the shared rate limit (``ratelimit.SharedMinute``): a lease
is a document ``{"_id": "<client>:<minute>:<slot>", "m": <minute>}`` in ``rate_leases``; the
insert that creates it is the claim (unique ``_id``: one gateway wins each lease). Leases of
past minutes are deleted once a minute by whichever gateway first claims in the new minute."""
import eventlet

from services.common.config import database_name
from services.common.mongo import insert_unique, make_client


class RateLeases:
    def __init__(self, config):
        # short timeouts: a database away pauses the shared limit (SharedMinute), not requests
        self.client = make_client(config["MONGO_URI"], serverSelectionTimeoutMS=1000,
                                  connectTimeoutMS=1000, socketTimeoutMS=2000)
        self.leases = self.client[database_name(config, "gateway")].rate_leases
        self.swept_minute = None

    def claim(self, key, minute):
        won = insert_unique(self.leases, {"_id": key, "m": minute})
        if self.swept_minute != minute:
            self.swept_minute = minute
            eventlet.spawn_n(self._sweep, minute)
        return won

    def _sweep(self, minute):
        try:
            self.leases.delete_many({"m": {"$lt": minute - 1}})
        except Exception:  # noqa: BLE001 - the next minute's sweep takes them
            pass

    def close(self):
        self.client.close()
