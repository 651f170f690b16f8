"""Per-client-address rate limits for the gateway's endpoints (429 + Retry-After), right with
any number of gateways behind the proxy.

Two limits, both must allow a request:

- ``TokenBuckets``: in-process token buckets (``*_BURST`` tokens, refilled at
  ``*_PER_MINUTE``); they smooth bursts and cost nothing (under eventlet a bucket update never
  yields, so no lock is needed);
- ``SharedMinute``: at most ``*_PER_MINUTE`` requests per client in each clock minute across
  every gateway. The minute's budget is cut into leases (``chunk`` requests each, a twentieth
  of the limit) that gateways claim from the gateway database with a unique insert
  (``claim(key)``: atomic on MongoDB and FerretDB alike), so a gateway touches the database
  once per ``chunk`` requests of a client, not per request, and all gateways together never
  hand out more than the limit. What a gateway leased and did not use is lost to the others
  for that minute (at most ``chunk - 1`` requests per gateway). Within a gateway one claim per
  client is on its way at a time (``threading.Lock``, green under eventlet): a burst of a
  client's requests waits for that lease instead of claiming every slot at once. When the database cannot be
  reached the shared limit steps aside for ``PAUSE_SECONDS`` (the buckets still apply): a
  limit must not turn an outage into a hang.
"""
import ipaddress
import logging
import threading
import time
from collections import OrderedDict

log = logging.getLogger(__name__)


class TokenBuckets:
    def __init__(self, per_minute=120, burst=40, clock=time.monotonic, max_clients=20000):
        self.rate = max(per_minute, 1) / 60.0
        self.burst = max(burst, 1)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets = OrderedDict()

    def take(self, key):
        """0 when the request may go ahead, else the seconds until a token is free."""
        now = self.clock()
        tokens, last = self._buckets.pop(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - last) * self.rate)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)  # the least recently seen client
        return wait


class SharedMinute:
    """``per_minute`` requests per client and clock minute, shared by every gateway through
    ``claim(key, minute) -> bool`` (True: this gateway won the lease named ``key``)."""

    PAUSE_SECONDS = 10.0

    def __init__(self, per_minute, claim, clock=time.time, max_clients=20000):
        self.per_minute = max(int(per_minute), 1)
        self.chunk = max(1, self.per_minute // 20)
        self.slots = -(-self.per_minute // self.chunk)
        self.claim = claim
        self.clock = clock
        self.max_clients = max_clients
        self.paused_until = 0.0
        # client -> [minute, requests left, next slot to try, lock held while claiming]
        self._leases = OrderedDict()

    def _slot_size(self, slot):
        return min(self.chunk, self.per_minute - slot * self.chunk)

    def take(self, client):
        now = self.clock()
        if now < self.paused_until:
            return 0.0
        minute = int(now // 60)
        lease = self._leases.get(client)
        if lease is None or lease[0] != minute:
            lease = self._leases[client] = [minute, 0, 0, threading.Lock()]
        self._leases.move_to_end(client)
        while len(self._leases) > self.max_clients:
            self._leases.popitem(last=False)
        if lease[1] <= 0:
            # one claim at a time per client: the others wait for its lease rather than claim
            # every slot of the minute while the first insert is on its way
            with lease[3]:
                while lease[1] <= 0 and lease[2] < self.slots:
                    slot = lease[2]
                    lease[2] += 1
                    try:
                        won = self.claim("{}:{}:{}".format(client, minute, slot), minute)
                    except Exception as exc:  # noqa: BLE001 - the database away: buckets only
                        log.warning("shared rate limit paused, the database did not answer "
                                    "(%s)", type(exc).__name__)
                        self.paused_until = now + self.PAUSE_SECONDS
                        return 0.0
                    if won:
                        lease[1] += self._slot_size(slot)
        if lease[1] > 0:
            lease[1] -= 1
            return 0.0
        return 60.0 - (now % 60)


class Limits:
    """A request goes ahead when the gateway's buckets and the shared minute both allow it."""

    def __init__(self, buckets, shared=None):
        self.buckets, self.shared = buckets, shared

    def take(self, key):
        wait = self.buckets.take(key)
        if wait or self.shared is None:
            return wait
        return self.shared.take(key)


def client_address(request, trusted_proxies=()):
    """The client's address; ``X-Forwarded-For`` only when the peer is a trusted proxy."""
    peer = request.remote_addr or "unknown"
    if peer in trusted_proxies:
        forwarded = [p.strip() for p in request.headers.get("X-Forwarded-For", "").split(",")
                     if p.strip()]
        if forwarded:
            return forwarded[-1]
    return peer


def client_key(request, trusted_proxies=()):
    """What a rate limit counts as one client: the address, or for IPv6 its /64 (one
    subscriber's network; its host part is the subscriber's to change at will)."""
    address = client_address(request, trusted_proxies)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network("{}/64".format(ip), strict=False))


def network_of(address, v4_prefix=24, v6_prefix=48):
    """``address`` truncated to its network (``203.0.113.0/24``, ``2001:db8:1::/48``): what a
    log line may keep of a client's address. Not an address: returned as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return str(address)[:64]
    prefix = v4_prefix if ip.version == 4 else v6_prefix
    return str(ipaddress.ip_network("{}/{}".format(ip, prefix), strict=False))
