"""A counter is one agency's desk: what it may serve."""
from services.ticketing.catalogue import counter_service_problems

SERVICES = {"samsat-pkb": {"_id": "samsat-pkb", "agency": "samsat"},
            "ptsp-izin": {"_id": "ptsp-izin", "agency": "dpmptsp"}, "gone": None}


def test_own_services_are_fine():
    assert counter_service_problems("samsat", ["samsat-pkb"], SERVICES) == {}


def test_another_agencys_service_and_an_unknown_one_are_named():
    problems = counter_service_problems("samsat", ["samsat-pkb", "ptsp-izin", "gone"], SERVICES)
    messages = problems["services"]
    assert len(messages) == 2
    assert "gone" in messages[0] and "Unknown service" in messages[0]
    assert "ptsp-izin" in messages[1] and messages[1].startswith("Layanan instansi lain")
