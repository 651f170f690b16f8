"""Staff sign-in, accounts and API keys (admin), and the demo-account RPC."""
from nameko.rpc import rpc

from services.common import settings
from services.common.errors import Forbidden
from services.contracts import roles
from services.gateway import auth
from services.gateway import requests as req
from services.gateway import schemas as gs
from services.gateway.http import route

TAG = "auth"


class AuthRoutes:

    @route("POST", "/api/v1/auth/login", public=True, tags=[TAG], body=gs.LoginRequest,
           response=gs.TokenResponse, problems=(401,),
           summary="Staff sign-in: access + refresh token")
    def login(self, request):
        body = self._body(request, gs.LoginRequest)
        principal = auth.login(self.db, body["username"], body["password"])
        return req.json_response(self.tokens.issue(principal))

    @route("POST", "/api/v1/auth/refresh", public=True, tags=[TAG], body=gs.RefreshRequest,
           response=gs.TokenResponse, problems=(401,),
           summary="A new token pair for a valid refresh token")
    def refresh(self, request):
        body = self._body(request, gs.RefreshRequest)
        return req.json_response(auth.refresh(self.db, self.tokens, body["refresh_token"]))

    @route("GET", "/api/v1/auth/me", tags=[TAG], auth="staff", response=gs.AccountOut,
           summary="Who the token or API key belongs to")
    def me(self, request):
        return req.json_response(self._staff(request).public())

    @route("GET", "/api/v1/admin/accounts", tags=[TAG], auth="admin", summary="Staff accounts")
    def list_accounts(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response({"accounts": [auth.public_account(d)
                                               for d in self.db.accounts.find({})]})

    @route("POST", "/api/v1/admin/accounts", tags=[TAG], auth="admin", body=gs.AccountRequest,
           status=201, summary="Create a staff account")
    def create_account(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request, gs.AccountRequest)
        if body["role"] != roles.ADMIN and body.get("agency"):
            self._known_agency(body["agency"])
        account = auth.create_account(self.db, body["username"], body["password"], body["role"],
                                      body.get("agency"))
        return req.json_response(account, status=201)

    @route("GET", "/api/v1/admin/api-keys", tags=[TAG], auth="supervisor",
           summary="API keys (a supervisor sees their agency's)")
    def list_api_keys(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response({"api_keys": auth.list_api_keys(self.db, agency)})

    @route("POST", "/api/v1/admin/api-keys", tags=[TAG], auth="admin", body=gs.ApiKeyRequest,
           status=201, summary="Create an API key scoped to one agency (shown once)")
    def create_api_key(self, request):
        principal = self._staff(request, auth.ADMIN)
        body = self._body(request, gs.ApiKeyRequest)
        self._known_agency(body["agency"])
        key = auth.create_api_key(self.db, body["agency"], body.get("role", roles.SUPERVISOR),
                                  body.get("label"),
                                  principal.subject)
        return req.json_response(key, status=201)

    @route("DELETE", "/api/v1/admin/api-keys/<string:key_id>", tags=[TAG], auth="admin",
           summary="Revoke an API key")
    def revoke_api_key(self, request, key_id):
        self._staff(request, auth.ADMIN)
        return req.json_response(auth.revoke_api_key(self.db, key_id))

    @rpc
    def ensure_demo_accounts(self, agency_codes, password):
        """Demo only: ``admin``, ``<agency>.officer``, ``<agency>.supervisor`` with
        ``password``; accounts that exist are left alone. Returns the usernames. Refused in
        production (anything on the bus could call it)."""
        self._refuse_in_production("ensure_demo_accounts")
        return auth.ensure_demo_accounts(self.db, list(agency_codes), password)

    @rpc
    def create_account_rpc(self, username, password, role, agency=None):
        """Development and tests only; production has ``python -m scripts.first_admin`` and the
        admin API (anything on the bus could call an RPC)."""
        self._refuse_in_production("create_account_rpc")
        return auth.create_account(self.db, username, password, role, agency)

    def _refuse_in_production(self, what):
        if settings.is_production(self.config):
            raise Forbidden("{} is not available in production".format(what))
