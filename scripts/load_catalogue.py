"""Load a catalogue (default: the MPP Kabupaten Kapuas demo) through the services' admin RPCs,
and, for the demo, the staff accounts (``admin``, ``<agency>.officer``, ``<agency>.supervisor``)
with the password ``MPP_DEMO_PASSWORD`` — only with ``MPP_ENV=demo``: elsewhere no demo account
and no default password exists (production refuses to start when one does)."""
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "catalogue" / "kapuas.yaml"


def load(rpc, path=DEMO, demo_password=None):
    """Returns counts per kind, and ``accounts`` (usernames) when demo accounts were made."""
    data = yaml.safe_load(Path(path).read_text())
    counts = {}
    counts.update(rpc.ticketing.load_catalogue(data))
    counts.update(rpc.permits.load_catalogue(data))
    if demo_password:
        codes = [agency["code"] for agency in data.get("agencies", [])]
        counts["accounts"] = rpc.gateway.ensure_demo_accounts(codes, demo_password)["accounts"]
    return counts


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common import config as cfg
    from services.common import settings

    config = cfg.load()
    password = settings.get(config, "MPP_DEMO_PASSWORD") if settings.is_demo(config) else None
    with ClusterRpcProxy(config, timeout=60) as rpc:
        result = load(rpc, sys.argv[1] if len(sys.argv) > 1 else DEMO,
                      demo_password=password)
    print({k: (len(v) if isinstance(v, list) else v) for k, v in result.items()})
