"""Per-client-address token buckets for the public endpoints (429 + Retry-After).

In-process: each gateway instance keeps its own buckets, so with N instances behind a load
balancer a client gets up to N times the limit. That is the intended trade-off (no shared
store on the hot path; the limit is a guard against a runaway kiosk or a scraper, not a
quota). Under eventlet a bucket update never yields, so no lock is needed.
"""
import ipaddress
import time
from collections import OrderedDict


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
