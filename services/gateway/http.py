"""nameko's HTTP entrypoint and web server, made to speak problem+json.

- ``api``: like ``nameko.web.handlers.http`` but every exception becomes a problem response
  (nameko's default answers ``Error: Type: value`` in plain text, and 500 for domain errors);
- ``GatewayWebServer``: unknown routes and wrong methods answer problem+json too, and every
  response gets the security headers.
"""
from nameko.web.handlers import HttpRequestHandler
from nameko.web.server import WebServer, WsgiApp
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Request

from services.gateway import problems

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "connect-src 'self'; frame-ancestors 'none'"
    ),
}


class GatewayWsgiApp(WsgiApp):
    def __call__(self, environ, start_response):
        request = Request(environ, shallow=True)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            provider, values = adapter.match()
            request.path_values = values
            response = provider.handle_request(request)
        except HTTPException as exc:
            response = problems.problem(exc.code, exc.name, exc.description)
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response(environ, start_response)


class GatewayWebServer(WebServer):
    def get_wsgi_app(self):
        return GatewayWsgiApp(self)


class ApiHandler(HttpRequestHandler):
    server = GatewayWebServer()

    def response_from_exception(self, exc):
        return problems.from_exception(exc)


api = ApiHandler.decorator
