"""Staff sign-in, accounts and API keys (admin), and the demo-account RPC."""
from nameko.rpc import rpc

from services.common import settings
from services.common.errors import Forbidden
from services.contracts import roles
from services.gateway import auth
from services.gateway import requests as req
from services.gateway import schemas as gs
from services.contracts import api as rs
from services.gateway.http import route
from services.gateway.ratelimit import client_address, network_of

TAG = "auth"


class AuthRoutes:

    @route("POST", "/api/v1/auth/login", operation_id="login",
           public=True, tags=[TAG], body=gs.LoginRequest,
           response=gs.TokenResponse, problems=(401,),
           summary="Staff sign-in: access + refresh token")
    def login(self, request):
        body = self._body(request, gs.LoginRequest)
        client = network_of(client_address(
            request, tuple(settings.get(self.config, "GATEWAY_TRUSTED_PROXIES"))))
        principal = auth.login(self.db, body["username"], body["password"], client,
                               self.tokens.log_key)
        return req.json_response(auth.start_session(self.db, self.tokens, principal))

    @route("POST", "/api/v1/auth/refresh", operation_id="refreshToken",
           public=True, tags=[TAG], body=gs.RefreshRequest,
           response=gs.TokenResponse, problems=(401,),
           summary="A new token pair for a refresh token used for the first time (a reused "
                   "one ends its session)")
    def refresh(self, request):
        body = self._body(request, gs.RefreshRequest)
        return req.json_response(auth.refresh(self.db, self.tokens, body["refresh_token"]))

    @route("POST", "/api/v1/auth/logout", operation_id="logout",
           public=True, tags=[TAG], body=gs.RefreshRequest,
           status=204, problems=(401,), summary="End the session of this refresh token")
    def logout(self, request):
        body = self._body(request, gs.RefreshRequest)
        auth.logout(self.db, self.tokens, body["refresh_token"])
        return req.empty_response()

    @route("POST", "/api/v1/auth/password", operation_id="changePassword",
           tags=[TAG], auth="staff",
           body=gs.PasswordChangeRequest, status=204,
           summary="Change one's own password (ends every session: sign in again)")
    def change_password(self, request):
        principal = self._staff(request, allow_must_change=True)
        body = self._body(request, gs.PasswordChangeRequest)
        auth.change_password(self.db, principal, body["current_password"],
                             body["new_password"])
        return req.empty_response()

    @route("POST", "/api/v1/auth/contact", tags=[TAG], auth="staff", body=gs.ContactRequest,
           operation_id="setOwnContact", response=gs.StaffAccountOut,
           summary="Set one's own e-mail address, where the agency's alerts reach a supervisor "
                   "(a suspended connector); null removes it")
    def set_contact(self, request):
        principal = self._staff(request)
        body = self._body(request, gs.ContactRequest)
        return req.json_response(auth.set_contact(self.db, principal, body.get("email")))

    @route("GET", "/api/v1/auth/me", operation_id="getMe",
           tags=[TAG], auth="staff", response=gs.AccountOut,
           summary="Who the token or API key belongs to")
    def me(self, request):
        return req.json_response(self._staff(request, allow_must_change=True).public())

    @route("GET", "/api/v1/admin/accounts", operation_id="listAccounts", response=rs.AccountList,
           tags=[TAG], auth="admin", summary="Staff accounts")
    def list_accounts(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response({"accounts": [auth.public_account(d)
                                               for d in self.db.accounts.find({})]})

    @route("POST", "/api/v1/admin/accounts/<string:username>/<any(disable,enable):change>",
           operation_id="setAccountEnabled", response=rs.Account,
           
           tags=[TAG], auth="admin", path_enum={"change": ("disable", "enable")},
           summary="Disable (ends every session at once) or enable a staff account")
    def disable_account(self, request, username, change):
        principal = self._staff(request, auth.ADMIN)
        if change == "disable" and username == principal.subject:
            from services.common.errors import Conflict

            raise Conflict("Anda tidak dapat menonaktifkan akun sendiri / You cannot disable "
                           "your own account", {"username": username})
        return req.json_response(auth.set_disabled(self.db, username, change == "disable"))

    @route("POST", "/api/v1/admin/accounts/<string:username>/reset-password",
           operation_id="resetAccountPassword", response=rs.TemporaryPassword,
           tags=[TAG],
           auth="admin", summary="A temporary password (shown once) to be changed at the next "
                                 "sign-in; ends every session of the account")
    def reset_password(self, request, username):
        self._staff(request, auth.ADMIN)
        return req.json_response(auth.reset_password(self.db, username))

    @route("POST", "/api/v1/admin/accounts", operation_id="createAccount", response=rs.Account,
           tags=[TAG], auth="admin", body=gs.AccountRequest,
           status=201, summary="Create a staff account")
    def create_account(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request, gs.AccountRequest)
        if body["role"] != roles.ADMIN and body.get("agency"):
            self._known_agency(body["agency"])
        account = auth.create_account(self.db, body["username"], body["password"], body["role"],
                                      body.get("agency"), email=body.get("email"))
        return req.json_response(account, status=201)

    @route("GET", "/api/v1/admin/api-keys", operation_id="listApiKeys", response=rs.ApiKeyList,
           tags=[TAG], auth="supervisor",
           summary="API keys (a supervisor sees their agency's)")
    def list_api_keys(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response({"api_keys": auth.list_api_keys(self.db, agency)})

    @route("POST", "/api/v1/admin/api-keys", operation_id="createApiKey", response=rs.ApiKey,
           tags=[TAG], auth="admin", body=gs.ApiKeyRequest,
           status=201, summary="Create an API key scoped to one agency (shown once)")
    def create_api_key(self, request):
        principal = self._staff(request, auth.ADMIN)
        body = self._body(request, gs.ApiKeyRequest)
        self._known_agency(body["agency"])
        key = auth.create_api_key(self.db, body["agency"], body.get("role", roles.OFFICER),
                                  body.get("label"),
                                  principal.subject)
        return req.json_response(key, status=201)

    @route("DELETE", "/api/v1/admin/api-keys/<string:key_id>",
           operation_id="revokeApiKey", response=rs.RevokedApiKey,
           tags=[TAG], auth="admin",
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
    def staff_contacts(self, agency, role=roles.SUPERVISOR):
        """``{"agency_name", "contacts": [{"username", "email"}]}``: the e-mail addresses the
        staff of ``role`` at ``agency`` gave (the notifications service tells supervisors of a
        suspended connector). Over RPC, never in an event."""
        names = {a["code"]: a.get("name") for a in self._call(self.ticketing.list_agencies)}
        return {"agency_name": names.get(agency) or agency,
                "contacts": auth.contacts(self.db, agency, role)}

    @rpc
    def create_account_rpc(self, username, password, role, agency=None):
        """Development and tests only; production has ``python -m scripts.first_admin`` and the
        admin API (anything on the bus could call an RPC)."""
        self._refuse_in_production("create_account_rpc")
        return auth.create_account(self.db, username, password, role, agency)

    def _refuse_in_production(self, what):
        if settings.is_production(self.config):
            raise Forbidden("{} is not available in production".format(what))
