"""Peak resident memory of ten staff sign-ins at once: argon2id at argon2-cffi's default
(64 MiB, no bound on parallel hashes: the gateway before issue 20) against the gateway's
parameters (OWASP's 19 MiB profile, at most ``GATEWAY_HASH_CONCURRENCY`` = 2 at once), each in
a fresh process, measured in the same run. Also the wall time of the ten, so the price of the
bound is visible. ``.venv/bin/python -m bench.login_memory`` prints JSON.

The gateway container's limit is 256 MiB (docker-compose.yml)."""
import json
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time, warnings
warnings.filterwarnings("ignore")
import eventlet
eventlet.monkey_patch()
from argon2 import PasswordHasher
from services.gateway import auth
if sys.argv[1] == "before":
    auth._hasher = PasswordHasher()
    auth.limit_hashing(1000)
stored = auth.hash_password("a-staff-password")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
pool = eventlet.GreenPool()
started = time.perf_counter()
ok = list(pool.imap(lambda _: auth.verify_password(stored, "a-staff-password"), range(10)))
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"all_verified": all(ok), "peak_rss_mib": round(peak / 1024, 1),
                  "rss_before_mib": round(base / 1024, 1), "seconds_for_10": round(seconds, 3)}))
"""


#: eventlet's default thread pool; glibc keeps one malloc arena per thread that ever hashed
#: unless capped (``MALLOC_ARENA_MAX``), which is most of what is left after the bound
ENV = {"EVENTLET_THREADPOOL_SIZE": "20"}


def run(mode):
    out = subprocess.run([sys.executable, "-c", CHILD, mode], capture_output=True, text=True,
                         check=True, env=dict(ENV, PYTHONPATH="."))
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    before, after = run("before"), run("after")
    ENV["MALLOC_ARENA_MAX"] = "2"
    capped = run("after")
    result = {"before (64 MiB, unbounded)": before, "after (19 MiB, 2 at once)": after,
              "after, MALLOC_ARENA_MAX=2": capped,
              "peak_ratio_after_over_before": round(after["peak_rss_mib"]
                                                     / before["peak_rss_mib"], 3),
              "time_ratio_after_over_before": round(after["seconds_for_10"]
                                                    / before["seconds_for_10"], 3),
              "container_limit_mib": 256}
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
