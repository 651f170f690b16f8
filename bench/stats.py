"""Small statistics helpers for benchmark reports."""


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return None
    index = max(0, min(len(sorted_values) - 1, int(round(fraction * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def latency_summary(seconds):
    values = sorted(seconds)
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 0.50) * 1000, 3),
        "p99_ms": round(percentile(values, 0.99) * 1000, 3),
    }


def ratio(value, baseline):
    return round(value / baseline, 3) if baseline else None
