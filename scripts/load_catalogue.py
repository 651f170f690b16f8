"""Load a catalogue (default: the MPP Kabupaten Kapuas demo) through the services' admin RPCs."""
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "catalogue" / "kapuas.yaml"


def load(rpc, path=DEMO):
    data = yaml.safe_load(Path(path).read_text())
    counts = {}
    counts.update(rpc.ticketing.load_catalogue(data))
    counts.update(rpc.permits.load_catalogue(data))
    return counts


if __name__ == "__main__":
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common import config as cfg

    with ClusterRpcProxy(cfg.load(), timeout=30) as rpc:
        print(load(rpc, sys.argv[1] if len(sys.argv) > 1 else DEMO))
