"""The go-live checklist: an agency is offered to citizens only when every item is done."""
from services.gateway.onboarding import ITEMS, checklist

AGENCY = {"code": "kua", "name": "Kantor Urusan Agama Kapuas",
          "name_en": "Office of Religious Affairs Kapuas", "kind": "vertical_agency"}
SERVICE = {"id": "kua-legalisir", "name": "Legalisir buku nikah"}
TYPE = {"id": "rekomendasi-nikah", "name": "Rekomendasi nikah", "connector": "manual"}
COUNTER = {"name": "Loket 21", "services": ["kua-legalisir"]}
ACCOUNT = {"username": "kua.petugas"}
ADOPTED = {("queue_service", "kua-legalisir"), ("permit_type", "rekomendasi-nikah")}


def _missing(result):
    return {i["item"]: i["missing"] for i in result["items"] if not i["done"]}


def test_a_complete_agency_may_go_live_with_every_item_done_in_order():
    result = checklist(AGENCY, [SERVICE], [TYPE], [COUNTER], [ACCOUNT], ADOPTED, [])
    assert result["complete"] is True
    assert [i["item"] for i in result["items"]] == list(ITEMS)


def test_a_new_agency_misses_everything_but_its_name():
    result = checklist({"code": "kua", "name": "Kantor Urusan Agama Kapuas",
                        "name_en": "Kantor Urusan Agama Kapuas"}, [], [], [], [], set(), [])
    assert result["complete"] is False
    assert _missing(result) == {"profile": ["kind"], "services": ["service"],
                                "standards": ["service"], "staff": ["account"]}


def test_an_agency_with_permit_types_only_needs_no_counter():
    result = checklist(AGENCY, [], [TYPE], [], [ACCOUNT], ADOPTED, [])
    assert result["complete"] is True
    assert result["items"][3] == {"item": "counters", "done": True, "missing": [],
                                  "applicable": False}


def test_a_service_without_an_adopted_standard_is_named_and_blocks_going_live():
    result = checklist(AGENCY, [SERVICE], [TYPE], [COUNTER], [ACCOUNT],
                       {("queue_service", "kua-legalisir")}, [])
    assert result["complete"] is False
    assert _missing(result) == {"standards": ["Rekomendasi nikah"]}


def test_a_queue_service_no_counter_serves_and_an_unknown_connector_are_named():
    other = {"id": "kua-konsultasi", "name": "Konsultasi"}
    type_elsewhere = dict(TYPE, connector="kua-sistem")
    adopted = ADOPTED | {("queue_service", "kua-konsultasi")}
    result = checklist(AGENCY, [SERVICE, other], [type_elsewhere], [COUNTER], [ACCOUNT],
                       adopted, ["dpmptsp-oss"])
    assert _missing(result) == {"counters": ["Konsultasi"], "connector": ["Rekomendasi nikah"]}
    assert checklist(AGENCY, [SERVICE, other], [type_elsewhere], [COUNTER], [ACCOUNT], adopted,
                     ["kua-sistem"])["items"][5]["done"] is True


def test_only_a_disabled_account_is_no_staff():
    result = checklist(AGENCY, [SERVICE], [], [COUNTER], [dict(ACCOUNT, disabled=True)],
                       ADOPTED, [])
    assert _missing(result) == {"staff": ["account"]}
    assert result["items"][5]["applicable"] is False  # no permit type: no connector needed
