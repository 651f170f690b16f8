"""nameko's HTTP entrypoint and web server, made to speak problem+json, plus what a gateway
answers without a worker.

- ``route``: like ``nameko.web.handlers.http`` but every exception becomes a problem
  response (nameko's default answers ``Error: Type: value`` in plain text, and 500 for domain
  errors). ``public=True`` routes are rate-limited per client address *before* a worker is
  taken (429 + Retry-After). Every route is recorded in ``ROUTES`` for the OpenAPI document.
- ``GatewayWsgiApp``: unknown routes and wrong methods answer problem+json too; every
  response gets the security headers and, for allowed origins, CORS headers; static pages and
  assets, the OpenAPI document and the live-update streams (SSE) are served here, in the
  connection's own greenthread, without a nameko worker (see ``hub``).
"""
import collections
import functools
import hmac
import logging
import time
from pathlib import Path

import eventlet
import eventlet.semaphore
from eventlet import wsgi

from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import HttpOnlyProtocol, WebServer
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map
from werkzeug.utils import send_from_directory
from werkzeug.wrappers import Request, Response

from services.common.metrics import exposition
from services.common.tracing import CONTEXT_KEY, correlated, new_id
from services.gateway import openapi, problems
from services.gateway.backends import SERVICES
from services.gateway.hub import StreamHub, Subscription
from services.gateway.rate_leases import RateLeases
from services.gateway.ratelimit import Limits, SharedMinute, TokenBuckets, client_key
from services.gateway.route_registry import ROUTES
from services.common import settings

WEB_ROOT = Path(__file__).parent / "web"
PAGES = {"/": "index.html", "/kiosk": "kiosk.html", "/board": "board.html",
         "/counter": "counter.html", "/portal": "portal.html", "/office": "office.html",
         "/api/docs": "docs.html", "/survey": "survey.html", "/statistics": "statistics.html",
         "/complaint": "survey.html", "/admin": "admin.html",
         "/standards": "standards.html", "/standards/manage": "standards_manage.html",
         # what a permit's QR code opens: /verify?n=<number>&h=<record hash> (PERMITS_VERIFY_URL)
         "/verify": "portal.html"}
ASSET_DIRS = {"/static/": WEB_ROOT / "static", "/vendor/": WEB_ROOT / "vendor"}
STREAM_PREFIX = "/api/v1/stream/"
REQUEST_ID_ENVIRON = "mpp.request_id"

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'"
    ),
}
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-API-Key, X-Request-Id"
CORS_METHODS = "GET, POST, PUT, DELETE, OPTIONS"
CORS_EXPOSE = "X-Request-Id, Retry-After"

#: every route as declared (method, url, public, and its OpenAPI description)

#: one line per request: method, path without its query string, status, milliseconds
access_log = logging.getLogger("services.gateway.access")


class GatewayWsgiApp:
    def __init__(self, server):
        self.server = server
        self.url_map = server.make_url_map()

    def __call__(self, environ, start_response):
        started = time.monotonic()
        request = Request(environ, shallow=True)
        path = request.path
        try:
            if request.method == "OPTIONS" and path.startswith("/api/"):
                response = Response(status=204)
            elif path.startswith(STREAM_PREFIX):
                response = self.stream(request, path[len(STREAM_PREFIX):])
            elif path in PAGES and request.method in ("GET", "HEAD"):
                response = self.page(request, PAGES[path])
            elif any(path.startswith(prefix) for prefix in ASSET_DIRS):
                response = self.asset(request, path)
            elif path == "/metrics" and request.method == "GET":
                response = self.metrics_guard(request) or self.metrics()
            elif path == "/api/v1/openapi.json" and request.method == "GET":
                response = Response(openapi.spec_json(), mimetype="application/json")
            else:
                adapter = self.url_map.bind_to_environ(environ)
                provider, values = adapter.match()
                request.path_values = values
                response = provider.handle_request(request)
        except HTTPException as exc:
            # a 405 names the methods the address answers (RFC 9110 section 15.5.6)
            allow = getattr(exc, "valid_methods", None)
            response = problems.problem(exc.code, exc.name, exc.description,
                                        headers={"Allow": ", ".join(sorted(allow))}
                                        if allow else None)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        if path.startswith("/api/v1/"):
            # answers change with every step (and may be a citizen's own): never from a cache
            response.headers.setdefault("Cache-Control", "no-store")
        self.server.add_cors(request, response)
        # what eventlet's own line had, less the query string (a ticket's ``?token=``)
        # and the client's address
        with correlated(environ.get(REQUEST_ID_ENVIRON)):
            access_log.info("%s %s %s %.1f ms", request.method, path, response.status_code,
                            1000 * (time.monotonic() - started))
        return response(environ, start_response)

    def metrics_guard(self, request):
        """``/metrics`` is for the operators' scraper: with ``METRICS_TOKEN`` set it needs
        ``Authorization: Bearer <token>`` (401 otherwise); without one it is open in development
        and absent in production, where each process serves its own on ``METRICS_PORT`` inside
        the private network. ``None`` lets the scrape through."""
        config = self.server.container.config
        token = settings.get(config, "METRICS_TOKEN")
        if token:
            given = request.headers.get("Authorization", "")
            if hmac.compare_digest(("Bearer " + token).encode(),
                                   given.encode("utf-8", "replace")):
                return None
            return problems.problem(401, "Unauthorized",
                                    "Token metrik diperlukan / A metrics token is required")
        if settings.is_production(config):
            return problems.problem(404, "Not Found", "Tidak ditemukan / Not found")
        return None

    def metrics(self):
        """Every service's metrics in one exposition (what Prometheus scrapes): the gateway's
        own, and each service's ``metrics`` RPC (its entrypoints and domain gauges: queue
        depths, notification statuses, SLA warnings). ``mpp_scrape_up`` says which answered;
        a scaled service answers from one of its instances."""
        from nameko.standalone.rpc import ClusterRpcProxy

        from services.common.metrics import gauges_text, merge_expositions

        content_type, own = exposition()
        texts, up = [own.decode()], {}
        try:
            with ClusterRpcProxy(self.server.container.config, timeout=3) as rpc:
                for name in SERVICES:
                    try:
                        texts.append(getattr(rpc, name).metrics())
                        up[(name,)] = 1
                    except Exception:  # noqa: BLE001 - a service away is a 0, not a 500
                        up[(name,)] = 0
        except Exception:  # noqa: BLE001 - the broker away: the gateway's own figures only
            up = {(name,): 0 for name in SERVICES}
        texts.append(gauges_text({("mpp_scrape_up", "1 if the service answered this scrape",
                                   ("service",)): up}))
        return Response(merge_expositions(texts), content_type=content_type)

    def page(self, request, name):
        response = send_from_directory(WEB_ROOT, name, request.environ)
        response.headers["Cache-Control"] = "no-cache"
        return response

    def asset(self, request, path):
        if request.method not in ("GET", "HEAD"):
            raise NotFound()
        for prefix, root in ASSET_DIRS.items():
            if path.startswith(prefix):
                response = send_from_directory(root, path[len(prefix):], request.environ)
                response.headers["Cache-Control"] = "public, max-age=300"
                return response
        raise NotFound()

    def stream(self, request, rest):
        """``board?agency=<code>`` or ``counter/<id>?services=a,b``: text/event-stream."""
        if request.method != "GET":
            return problems.problem(405, "Method Not Allowed", headers={"Allow": "GET"})
        parts = rest.strip("/").split("/")
        if parts == ["board"]:
            sub = Subscription("board", agency=request.args.get("agency") or None)
        elif len(parts) == 2 and parts[0] == "counter" and parts[1]:
            services = [s for s in request.args.get("services", "").split(",") if s][:50]
            sub = Subscription("counter", counter_id=parts[1], services=services)
        else:
            raise NotFound()
        hub = self.server.stream_hub.hub
        client = self.server.client_key(request)
        wait = self.server.limiter.take(client)
        if wait:
            return too_many(wait)
        clients = self.server.stream_clients
        if clients[client] >= self.server.stream_per_client:
            # one address cannot take the gateway's streams from every board
            return problems.problem(429, "Too many requests",
                                    "Terlalu banyak koneksi langsung dari alamat ini / Too many "
                                    "live connections from this address",
                                    headers={"Retry-After": "10"})
        # eventlet's WSGI server buffers writes below 4 KiB by default: flush every event
        request.environ["eventlet.minimum_write_chunk_size"] = 0
        if hub.subscribe(sub) is None:
            return problems.problem(503, "Service unavailable",
                                    "Terlalu banyak koneksi langsung / Too many live connections",
                                    headers={"Retry-After": "10"})
        response = Response(counted(hub.stream(sub), clients, client),
                            mimetype="text/event-stream", direct_passthrough=True)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Accel-Buffering"] = "no"
        return response


def counted(stream, clients, client):
    """``stream``, holding one of ``client``'s places in ``clients`` while it is open."""
    clients[client] += 1
    try:
        yield from stream
    finally:
        clients[client] -= 1
        if clients[client] <= 0:
            del clients[client]


def too_many(wait):
    return problems.problem(
        429, "Too many requests",
        "Terlalu banyak permintaan, coba lagi sebentar / Too many requests, retry "
        "shortly", headers={"Retry-After": str(max(1, int(wait + 0.999)))})


def allow_open_files(needed):
    """Raise this process's soft limit of open files towards ``needed`` (never above the hard
    limit): each live stream holds a socket, and many systems start processes at 1024."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class GatewayWebServer(WebServer):
    stream_hub = StreamHub()

    def setup(self):
        config = self.container.config
        allow_open_files(settings.get(config, "GATEWAY_STREAM_MAX") + 1024)
        # every gateway behind the proxy shares each client's per-minute budget (ratelimit)
        self.rate_leases = RateLeases(config)
        public = settings.get(config, "GATEWAY_RATE_LIMIT_PER_MINUTE")
        self.limiter = Limits(
            TokenBuckets(public, settings.get(config, "GATEWAY_RATE_LIMIT_BURST")),
            SharedMinute(public, self.rate_leases.claim))
        # staff consoles, connector callbacks and health checks: a higher limit of their own
        staff = settings.get(config, "GATEWAY_STAFF_RATE_LIMIT_PER_MINUTE")
        self.staff_limiter = Limits(
            TokenBuckets(staff, settings.get(config, "GATEWAY_STAFF_RATE_LIMIT_BURST")),
            SharedMinute(staff, lambda key, minute: self.rate_leases.claim("staff:" + key,
                                                                           minute)))
        self.stream_per_client = settings.get(config, "GATEWAY_STREAM_MAX_PER_CLIENT")
        self.stream_clients = collections.Counter()
        self.trusted_proxies = tuple(settings.get(config, "GATEWAY_TRUSTED_PROXIES"))
        self.cors_origins = set(settings.get(config, "GATEWAY_CORS_ORIGINS"))
        super().setup()

    def get_wsgi_app(self):
        return GatewayWsgiApp(self)

    def start(self):
        """nameko's start with the listen backlog sized (``GATEWAY_BACKLOG``; the kernel caps
        it at ``net.core.somaxconn``): a burst of kiosks waits in the kernel's queue instead of
        overflowing eventlet's default of 50."""
        if not self._starting:
            self._starting = True
            config = self.container.config
            self._sock = eventlet.listen(self.bind_addr,
                                         backlog=settings.get(config, "GATEWAY_BACKLOG"))
            self._sock.settimeout(None)  # https://github.com/celery/kombu/issues/838
            self._connections = eventlet.semaphore.Semaphore(
                settings.get(config, "GATEWAY_MAX_CONNECTIONS"))
            self._serv = self.get_wsgi_server(self._sock, self.get_wsgi_app())
            self._gt = self.container.spawn_managed_thread(self.run)

    def stop(self):
        super().stop()
        self.rate_leases.close()

    def kill(self):
        super().kill()
        self.rate_leases.close()

    def run(self):
        """Accept while fewer than ``GATEWAY_MAX_CONNECTIONS`` are open: beyond that the next
        connections wait in the listen backlog (answered later, never refused by us)."""
        while self._is_accepting:
            self._connections.acquire()
            try:
                sock, addr = self._sock.accept()
            except BaseException:
                self._connections.release()
                raise
            sock.settimeout(self._serv.socket_timeout)
            self.container.spawn_managed_thread(functools.partial(self._serve, sock, addr))

    def _serve(self, sock, addr):
        try:
            self.process_request(sock, addr)
        finally:
            self._connections.release()

    def get_wsgi_server(self, sock, wsgi_app, protocol=HttpOnlyProtocol, debug=False):
        """nameko's server without eventlet's access line, which carries the raw query
        string (a ticket's access token) and the client's address: ``GatewayWsgiApp``
        writes one without them."""
        return wsgi.Server(sock, sock.getsockname(), wsgi_app, protocol=protocol, debug=debug,
                           log=logging.getLogger("nameko.web.server"), log_output=False)

    def make_url_map(self):
        url_map = Map(strict_slashes=False)
        for provider in self._providers:
            rule = provider.get_url_rule()
            rule.endpoint = provider
            url_map.add(rule)
        return url_map

    def context_data_from_headers(self, request):
        """The correlation id: the client's ``X-Request-Id`` when it is sane, else a new one;
        every API response echoes it, so a user's report names the log lines."""
        rid = request.headers.get("X-Request-Id", "")
        if not (8 <= len(rid) <= 64 and rid.replace("-", "").isalnum()):
            rid = new_id()
        request.environ[REQUEST_ID_ENVIRON] = rid
        return {CONTEXT_KEY: rid}

    def add_cors(self, request, response):
        """CORS is closed unless the origin is listed in ``GATEWAY_CORS_ORIGINS``."""
        origin = request.headers.get("Origin")
        if not origin or not request.path.startswith("/api/"):
            return
        if origin in self.cors_origins or "*" in self.cors_origins:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
            response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
            response.headers["Access-Control-Max-Age"] = "600"
            response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE
            response.headers["Vary"] = "Origin"

    def client_key(self, request):
        return client_key(request, self.trusted_proxies)

    def rate_limited(self, request, public=True):
        limiter = self.limiter if public else self.staff_limiter
        return limiter.take(self.client_key(request))


class ApiHandler(HttpRequestHandler):
    server = GatewayWebServer()

    def __init__(self, method, url, public=False, **kwargs):
        self.public = public
        super().__init__(method, url, **kwargs)

    def handle_request(self, request):
        wait = self.server.rate_limited(request, self.public)
        if wait:
            return too_many(wait)
        response = super().handle_request(request)
        rid = request.environ.get(REQUEST_ID_ENVIRON)
        if rid:
            response.headers["X-Request-Id"] = rid
        return response

    def response_from_exception(self, exc):
        return problems.from_exception(exc)

    def check_signature(self, args, kwargs):
        """nameko checks every request's arguments against the handler with
        ``inspect.getcallargs`` (2 % of the gateway's CPU). A route's arguments are the request
        and the values of its own URL rule, the same for every request, and every route is
        exercised by the tests, so the check would only ever repeat what they proved."""


def route(method, url, public=False, **doc):
    """Declare a route: ``@route("POST", "/api/v1/tickets", operation_id="issueTicket",
    public=True,
    operation_id="issueTicket", body=Schema, response=Schema, status=201, summary=...,
    tags=[...], auth="staff")``. ``doc`` feeds the OpenAPI document; the convention (what every
    route must declare) is in ``services.gateway.openapi``'s docstring.

    The route's worker turns what it raises into its problem response itself
    (``problems.from_exception``, which logs what is unexpected, a 500 with its reference).
    nameko would log every 401, 404 or 503 at ERROR with a traceback, and a broker outage
    would bury the real failures among them."""
    declared = dict(doc, method=method, url=url, public=public)
    ROUTES.append(declared)
    declare = ApiHandler.decorator(method, url, public=public)

    def decorate(handler):
        declared["handler"] = handler  # named in check_routes' messages
        @functools.wraps(handler)
        def answer(*args, **kwargs):
            try:
                return handler(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - every error is a problem response
                return problems.from_exception(exc)
        return declare(answer)
    return decorate
