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


class Leases:
    """The unique index the gateways share, as a set: the first claim of a key wins."""

    def __init__(self):
        self.taken, self.claims = set(), 0

    def claim(self, key, minute):
        self.claims += 1
        if key in self.taken:
            return False
        self.taken.add(key)
        return True


def test_gateways_share_one_budget_per_client_and_minute():
    from services.gateway.ratelimit import SharedMinute

    now = [600.0]
    leases = Leases()
    gateways = [SharedMinute(120, leases.claim, clock=lambda: now[0]) for _ in range(3)]
    allowed = sum(1 for i in range(600) if gateways[i % 3].take("10.0.0.9") == 0)
    assert allowed <= 120 and allowed >= 120 - 3 * gateways[0].chunk  # leased, not all used
    assert leases.claims < 600 / 3                        # the database once per lease
    assert gateways[0].take("10.0.0.10") == 0             # another client: its own budget
    refused = gateways[1].take("10.0.0.9")
    assert 0 < refused <= 60
    now[0] += 60                                          # the next minute
    assert gateways[2].take("10.0.0.9") == 0


def test_one_gateway_alone_gets_the_whole_budget():
    from services.gateway.ratelimit import SharedMinute

    leases = Leases()
    alone = SharedMinute(50, leases.claim, clock=lambda: 0.0)
    assert [alone.take("c") for _ in range(51)].count(0) == 50


def test_the_shared_limit_steps_aside_while_the_database_is_away():
    from services.gateway.ratelimit import SharedMinute

    def away(key, minute):
        raise ConnectionError("no database")

    limit = SharedMinute(1, away, clock=lambda: 0.0)
    assert [limit.take("c") for _ in range(5)] == [0.0] * 5


def test_concurrent_requests_wait_for_one_claim_instead_of_taking_every_lease():
    """A burst of one client's requests arrives while the first lease's insert is on its way
    (the claim yields to the others): they wait for it, and all within the limit go ahead."""
    import eventlet

    from services.gateway.ratelimit import SharedMinute

    leases = Leases()

    def slow_claim(key, minute):
        eventlet.sleep(0.01)  # the database round trip
        return leases.claim(key, minute)

    limit = SharedMinute(1000, slow_claim, clock=lambda: 30.0)
    pool = eventlet.GreenPool(200)
    waits = list(pool.imap(lambda _: limit.take("kiosks"), range(200)))
    assert waits.count(0.0) == 200
    assert leases.claims <= 200 // limit.chunk + 1
