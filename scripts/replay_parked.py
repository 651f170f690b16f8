"""``python -m scripts.replay_parked``: send the parked notifications (retries exhausted) once
more, after the cause is fixed (a provider's credentials, a citizen's number). Prints
``{"taken": n, "replayed": n}``; a message that went stale meanwhile expires unsent."""
import json
import sys
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


def main():
    from nameko.standalone.rpc import ClusterRpcProxy

    from services.common import config as cfg

    with ClusterRpcProxy(cfg.load(), timeout=120) as rpc:
        print(json.dumps(rpc.notifications.replay_parked()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
