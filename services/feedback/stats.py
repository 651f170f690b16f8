"""Figures from what the feedback service heard: visitors, waits, service times, SLA
compliance, grouped per agency and service. Pure functions; averages and percentiles are
computed here because FerretDB v1's aggregation has only ``$sum``/``$count``."""
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal


def percentile(values, p):
    """Nearest-rank percentile (the value at rank ⌈p/100·n⌉); ``None`` for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def mean(values):
    return sum(values) / len(values) if values else None


def seconds(value):
    return None if value is None else round(float(value), 1)


def percent(part, whole):
    if not whole:
        return None
    return str((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def durations(values):
    return {"count": len(values), "average_seconds": seconds(mean(values)),
            "p90_seconds": seconds(percentile(values, 90))}


def group(docs, key=lambda d: (d.get("agency"), d.get("service_id"))):
    out = defaultdict(list)
    for doc in docs:
        out[key(doc)].append(doc)
    return out


CSV_FIELDS = ("level", "agency", "service_id", "service_name", "visitors_today",
              "visitors_month", "wait_today_avg_s", "wait_today_p90_s", "wait_month_avg_s",
              "wait_month_p90_s", "sla_decided", "sla_within", "sla_percent", "respondents",
              "ikm", "ikm_score", "ikm_grade")


def csv_row(level, agency, service, block):
    """One line of the statistics CSV (MPP, agency or service level)."""
    return {
        "level": level, "agency": agency,
        "service_id": service["service_id"] if service else None,
        "service_name": service["service_name"] if service else None,
        "visitors_today": block["visitors_today"], "visitors_month": block["visitors_month"],
        "wait_today_avg_s": block["wait_today"]["average_seconds"],
        "wait_today_p90_s": block["wait_today"]["p90_seconds"],
        "wait_month_avg_s": block["wait_month"]["average_seconds"],
        "wait_month_p90_s": block["wait_month"]["p90_seconds"],
        "sla_decided": block["sla"]["decided"], "sla_within": block["sla"]["within"],
        "sla_percent": block["sla"]["percent"], "respondents": block["ikm"]["respondents"],
        "ikm": block["ikm"]["ikm"], "ikm_score": block["ikm"]["score"],
        "ikm_grade": block["ikm"]["grade"],
    }
