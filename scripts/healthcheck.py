"""Container healthcheck: ``python -m scripts.healthcheck <service>`` exits 0 when the
service answers its ``health`` RPC with status ok (the gateway: when /healthz answers)."""
import sys
import urllib.request
import warnings

warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")


def main(name):
    from services.common import config as cfg

    config = cfg.load()
    if name == "gateway":
        host, port = config["WEB_SERVER_ADDRESS"].rsplit(":", 1)
        host = "127.0.0.1" if host in ("0.0.0.0", "") else host
        with urllib.request.urlopen("http://{}:{}/healthz".format(host, port), timeout=5) as r:
            return 0 if r.status == 200 else 1
    from nameko.standalone.rpc import ClusterRpcProxy

    with ClusterRpcProxy(config, timeout=5) as rpc:
        return 0 if getattr(rpc, name).health()["status"] == "ok" else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1]))
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        print("unhealthy: {}".format(type(exc).__name__), file=sys.stderr)
        sys.exit(1)
