"""Median and 90th percentile of measured durations (promise against practice), with the
standard library's ``statistics`` so the method is a documented one: ``quantiles`` with the
``inclusive`` method (the sample is the whole population measured: every decision, every
ticket of the period), which interpolates between observed values. One value is its own
median and 90th percentile; none gives ``None``."""
import statistics


def median_p90(values):
    """``{"count", "median", "p90"}`` of ``values`` (numbers), rounded to two decimals."""
    values = [float(v) for v in values if v is not None]
    if not values:
        return {"count": 0, "median": None, "p90": None}
    if len(values) == 1:
        median = p90 = values[0]
    else:
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10, method="inclusive")[8]
    return {"count": len(values), "median": round(median, 2), "p90": round(p90, 2)}
