"""The gateway's /metrics joins every process's exposition into one valid document."""
from prometheus_client.parser import text_string_to_metric_families

from services.common.metrics import gauges_text, merge_expositions

TICKETING = """# HELP mpp_entrypoint_calls_total Entrypoint calls handled
# TYPE mpp_entrypoint_calls_total counter
mpp_entrypoint_calls_total{entrypoint="issue_ticket",outcome="ok",service="ticketing"} 3.0
"""
PERMITS = """# HELP mpp_entrypoint_calls_total Entrypoint calls handled
# TYPE mpp_entrypoint_calls_total counter
mpp_entrypoint_calls_total{entrypoint="file_application",outcome="ok",service="permits"} 2.0
"""


def test_families_of_several_processes_are_joined_once():
    queue = gauges_text({("mpp_queue_waiting", "Tickets waiting today", ("service",)):
                         {("samsat-pkb",): 4, ("disdukcapil-ktp",): 0}})
    text = merge_expositions([TICKETING, PERMITS, queue]).decode()
    assert text.count("# TYPE mpp_entrypoint_calls_total counter") == 1
    families = {f.name: f for f in text_string_to_metric_families(text)}
    calls = {s.labels["service"]: s.value for s in families["mpp_entrypoint_calls"].samples}
    assert calls == {"ticketing": 3.0, "permits": 2.0}
    waiting = {s.labels["service"]: s.value for s in families["mpp_queue_waiting"].samples}
    assert waiting == {"samsat-pkb": 4.0, "disdukcapil-ktp": 0.0}


def test_the_same_sample_twice_is_kept_once():
    text = merge_expositions([TICKETING, TICKETING]).decode()
    assert text.count('entrypoint="issue_ticket"') == 1
