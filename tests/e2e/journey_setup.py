"""Set-up shared by the browser journeys' tests: what the catalogue holds (so a journey can
name what it taps, and the language check knows the internal codes that must never show),
and staff sign-in for reading which counter serves what. No journey step uses these."""
import json
import urllib.request


def get(base, path, token=None):
    request = urllib.request.Request(base + path)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())


def login(base, username, password):
    request = urllib.request.Request(
        base + "/api/v1/auth/login", method="POST",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())["access_token"]


def catalogue(base):
    return get(base, "/api/v1/agencies")["agencies"]


def codes(agencies):
    """Ids that have a name: agency codes and service ids (``bank-setoran``)."""
    return sorted({a["code"] for a in agencies} | {s["id"] for a in agencies
                                                   for s in a["services"]})


def agency(agencies, code):
    return next(a for a in agencies if a["code"] == code)


def counter_serving(base, officer, password, service_id):
    """The first counter (by name) of the officer's agency that serves ``service_id``."""
    counters = get(base, "/api/v1/counters", login(base, officer, password))["counters"]
    return sorted((c for c in counters if service_id in c["services"]),
                  key=lambda c: c["name"])[0]
