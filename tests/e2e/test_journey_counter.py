"""The officer's day at the counter console, in Chromium, only clicking and typing
(tests/e2e/browser/counter_journey.py)."""
from tests.e2e import journey_setup as setup
from tests.e2e.browser import harness
from tests.e2e.conftest import DEMO_PASSWORD


def test_officers_day_at_the_counter(base_url):
    agencies = setup.catalogue(base_url)
    capil = setup.agency(agencies, "disdukcapil")
    service, target = capil["services"][0], capil["services"][1]
    counter = setup.counter_serving(base_url, "disdukcapil.officer", DEMO_PASSWORD, service["id"])

    seen = harness.run("counter_journey:officers_day", base_url, officer="disdukcapil.officer",
                       password=DEMO_PASSWORD, counter_name=counter["name"],
                       agency=capil["name"], service=service["name"],
                       target_service=target["name"], target_agency=capil["name"],
                       codes=setup.codes(agencies))
    tickets = seen["tickets"]
    # the counter's status refreshes when it opens
    assert seen["closed_status"] == "Tutup" and seen["open_status"] == "Buka"
    assert seen["call_disabled_when_closed"]
    # who waits: priority first, names not codes, group, walk-in, minutes; no phone number
    first = seen["waiting_rows"][0]
    assert first[0] == tickets["elder"] and first[1] == service["name"] and first[2] == "Lansia"
    assert first[3] == "Langsung" and first[4].endswith("menit")
    numbers = [r[0] for r in seen["waiting_rows"]]
    assert [n for n in numbers if n in tickets.values()] == [
        tickets["elder"], tickets["walk_in"], tickets["third"], tickets["fourth"]]
    assert "0811" not in seen["waiting_text"] and "5200" not in seen["waiting_text"]
    # call next, recall, skip and return
    assert seen["called"] == tickets["elder"] and "sudah dipanggil" in seen["called_info"]
    assert "Lansia" in seen["called_info"]
    assert "kembali" in seen["returned_row"]
    # a named ticket needs a reason
    assert seen["reason_required"] is True
    assert seen["called_specific"] == tickets["third"]
    # done is done: only calling the next one is offered
    assert seen["buttons_after_complete"] == {"Selesai": False, "Mulai layani": False,
                                              "Panggil ulang": False, "Panggil berikutnya": True}
    # completed: the survey QR is shown at a size a phone can scan
    assert min(seen["qr_size"]) >= 150
    # transfer only elsewhere, confirmed in words
    assert service["name"] not in seen["transfer_options"]
    assert target["name"] in seen["transfer_options"]
    assert tickets["elder"] in seen["transfer_confirm"] and target["name"] in seen["transfer_confirm"]
    assert seen["called_again"] == tickets["elder"]
    # a reload in the middle of serving loses nothing, and the buttons work
    assert seen["after_reload"] == seen["before_reload"]
    assert seen["complete_enabled_after_reload"]
    assert "selesai" in seen["completed_after_reload"]
