"""The estimated wait, as a range.

The range is built from the service's *observed* service times (``service_seconds`` of its
recently completed tickets): the 25th and 75th percentiles (nearest rank, ``stats.percentile``)
are a typical fast and a typical slow service, robust to the odd 2-hour case that a mean ± sd
would let swing the estimate. With fewer than ``min_samples`` observations it falls back to the
service's configured ``default_service_minutes`` × 0.75 .. × 1.25.

With ``ahead`` tickets before it and ``c`` counters open for the service, the ticket is called
once ``ahead + 1`` services have ended across the counters (one is usually under way):

    eta_min = floor(ahead / c) × fast        (counters about to free up)
    eta_max = ceil((ahead + 1) / c) × slow   (each counter just started a slow one)

Both in whole minutes (floor / ceil). No counter open: both None (the board says "—").
A counter shared by several services is counted fully for each: the estimate is optimistic
there, which the upper bound's extra service partly absorbs.
"""
import math

from services.ticketing.stats import percentile

MIN_SAMPLES = 5
FALLBACK_SPREAD = 0.25


def service_minutes_range(durations_seconds, default_minutes, min_samples=MIN_SAMPLES):
    """``(fast, slow, basis)`` minutes for one service; basis is "observed" or "default"."""
    samples = [d for d in durations_seconds if d is not None and d >= 0]
    if len(samples) < min_samples:
        return (default_minutes * (1 - FALLBACK_SPREAD),
                default_minutes * (1 + FALLBACK_SPREAD), "default")
    return percentile(samples, 25) / 60, percentile(samples, 75) / 60, "observed"


def estimate(ahead, durations_seconds, counters_open, default_minutes,
             min_samples=MIN_SAMPLES):
    """``{position, ahead, eta_min_minutes, eta_max_minutes, basis, samples}``;
    position is 1 for the next ticket to be called."""
    fast, slow, basis = service_minutes_range(durations_seconds, default_minutes, min_samples)
    out = {"position": ahead + 1, "ahead": ahead, "eta_min_minutes": None,
           "eta_max_minutes": None, "basis": basis,
           "samples": len([d for d in durations_seconds if d is not None and d >= 0])}
    if counters_open > 0:
        out["eta_min_minutes"] = int(math.floor(ahead // counters_open * fast))
        out["eta_max_minutes"] = int(math.ceil(
            math.ceil((ahead + 1) / counters_open) * slow))
    return out

