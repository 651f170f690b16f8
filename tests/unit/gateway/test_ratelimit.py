"""Rate-limit keys: one IPv6 /64 is one client (a home or a phone gets a whole /64 and can
rotate addresses inside it at will); IPv4 addresses stay apart."""
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from services.gateway.ratelimit import TokenBuckets, client_key


def request_from(address):
    return Request(EnvironBuilder(environ_base={"REMOTE_ADDR": address}).get_environ())


def test_addresses_of_one_ipv6_64_share_a_bucket():
    limiter = TokenBuckets(per_minute=1, burst=2, clock=lambda: 0.0)
    keys = [client_key(request_from(a)) for a in
            ("2001:db8:aa:bb::1", "2001:db8:aa:bb:ffff:1:2:3", "2001:db8:aa:bb::9")]
    assert len(set(keys)) == 1
    assert [limiter.take(k) == 0 for k in keys] == [True, True, False]
    # the next /64 is another client
    assert limiter.take(client_key(request_from("2001:db8:aa:bc::1"))) == 0


def test_ipv4_addresses_are_their_own_clients():
    assert client_key(request_from("203.0.113.5")) != client_key(request_from("203.0.113.6"))
