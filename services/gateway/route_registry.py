"""Every HTTP route the gateway declares (``http.route`` appends here), read by the OpenAPI
document and the authorization tests."""
ROUTES = []
