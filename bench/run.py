"""``make bench``: the baseline and every benchmark, one JSON document, ratios included."""
import json
import os
import sys
from pathlib import Path

from bench import baseline  # noqa: F401 - monkey-patches eventlet first
from bench import gateway, notifications, permits, ticketing
from bench.stats import ratio
from services.common import config as cfg

ROOT = Path(__file__).resolve().parents[1]


def main():
    config = cfg.load()
    base = baseline.measure(config)
    echo = base["rpc_echo_in_flight"]["calls_per_s"]
    report = {"baseline": base}

    tickets = ticketing.measure(dict(os.environ))
    tickets["ratios"] = {
        # the echo measured in turn with issuing, slice by slice (``ticketing.issue_against_echo``)
        "issue_vs_echo_in_turn": tickets["issue_against_echo"]["ratio"],
        # the long run over the echo measured before every benchmark
        "issue_vs_echo_calls_per_s": ratio(tickets["issue_ticket_in_flight"]["calls_per_s"], echo),
        "target_issue_vs_echo": 0.5,
    }
    report["ticketing"] = tickets

    http = gateway.measure(dict(os.environ))
    http["ratios"] = {
        # the echo measured in turn with the gateway, slice by slice (``gateway.against_echo``)
        "issue_via_gateway_vs_echo_calls_per_s": http["saturation_against_echo"]["ratio"],
        # the long saturation run over the echo measured before every benchmark
        "issue_via_gateway_vs_first_echo": ratio(http["saturation"]["tickets_per_s"], echo),
        "target_issue_vs_echo": 0.5,
        "with_1000_boards_vs_unloaded": http["with_boards_vs_unloaded"],
        "target_with_boards": 0.8,
    }
    report["gateway"] = http

    report["notifications"] = notifications.measure(dict(os.environ))
    report["permits"] = permits.measure(dict(os.environ))

    out = ROOT / "var" / "bench" / "latest.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
