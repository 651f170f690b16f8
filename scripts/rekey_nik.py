"""``python -m scripts.rekey_nik``: reseal every stored applicant NIK under the current
``PERMITS_NIK_KEY`` after a rotation (README, Security). Permits must already run with the new
key in ``PERMITS_NIK_KEY`` and the old one(s) in ``PERMITS_NIK_KEY_PREVIOUS``. Batch after
batch until the walk is done; stopped half-way it resumes where it stopped, and re-running a
finished one is harmless (it finds nothing to reseal). Prints one JSON line per batch and the
totals; exits 1 when some NIK could be opened by no configured key (add that key to
``PERMITS_NIK_KEY_PREVIOUS`` and run it again), 0 otherwise."""
import argparse
import json
import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


def run(rpc, batch, out=print):
    totals = {"checked": 0, "resealed": 0}
    while True:
        step = rpc.permits.rekey_nik(batch)
        out(json.dumps(step))
        totals["checked"] += step["checked"]
        totals["resealed"] += step["resealed"]
        if step["done"]:
            totals.update(key_id=step["key_id"], unreadable=step["unreadable"])
            out(json.dumps(dict(totals, total=True)))
            return 1 if step["unreadable"] else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=200, help="applications per call")
    args = parser.parse_args(argv)
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common import config as cfg

    with ClusterRpcProxy(cfg.load(), timeout=300) as rpc:
        return run(rpc, args.batch)


if __name__ == "__main__":
    sys.exit(main())
