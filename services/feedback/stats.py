"""Figures from what the feedback service heard: visitors, waits, service times, SLA
compliance and IKM, grouped per agency and service. Pure functions; averages and
percentiles are computed here because FerretDB v1's aggregation has only ``$sum``/``$count``."""
import math
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from services.feedback import ikm


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


FIGURES = ("visits", "waits", "served", "decisions", "responses")


def block(figures, today, elements, with_elements=False):
    """One level's figures (MPP, agency or service) as the statistics show them."""
    decided = [d for d in figures["decisions"] if d.get("within_sla") is not None]
    within = sum(1 for d in decided if d["within_sla"])
    summary = ikm.summarise([r["answers"] for r in figures["responses"]], elements)
    if not with_elements:
        summary.pop("elements")
    return {
        "visitors_today": sum(1 for v in figures["visits"] if v["day"] == today),
        "visitors_month": len(figures["visits"]),
        "wait_today": durations([w["seconds"] for w in figures["waits"]
                                 if w["day"] == today]),
        "wait_month": durations([w["seconds"] for w in figures["waits"]]),
        "service_time_month": durations([s["seconds"] for s in figures["served"]]),
        "sla": {"decided": len(decided), "within": within,
                "percent": percent(within, len(decided)),
                "average_working_days": None if not decided else round(mean(
                    [float(d.get("working_days_used") or 0) for d in decided]), 2)},
        "ikm": summary,
    }


def split(figures, key):
    """``figures`` grouped by ``key(doc)``: ``{key: {figure name: [docs]}}``."""
    parts = {}
    for name in FIGURES:
        for k, docs in group(figures[name], key).items():
            parts.setdefault(k, {n: [] for n in FIGURES})[name] = docs
    return parts
