"""Display boards: a process of its own that holds many live-update (SSE) streams open.

    python -m bench.boards http://127.0.0.1:8000 1000 samsat,disdukcapil,    # "" = MPP-wide

Opens the streams (spread over the agencies given), prints ``{"connected": n, ...}`` once
every stream answered, reads them all until it gets SIGTERM or its stdin closes, then prints
the totals as one JSON line: streams open at the end, frames and board snapshots received,
streams refused (503) or closed by the server. Plain asyncio, no eventlet: it stands for
screens elsewhere on the network, not for the suite.
"""
import asyncio
import json
import signal
import sys
from urllib.parse import urlsplit


class Totals:
    def __init__(self):
        self.connected = self.refused = self.closed = self.events = self.boards = 0


async def hold(host, port, path, totals, ready, stop):
    try:
        reader, writer = await asyncio.open_connection(host, port)
    except OSError:
        totals.refused += 1
        ready.release()
        return
    writer.write("GET {} HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n".format(
        path, host).encode())
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        totals.refused += 1
        ready.release()
        writer.close()
        return
    totals.connected += 1
    ready.release()
    try:
        while not stop.is_set():
            line = await reader.readline()
            if not line:
                totals.closed += 1
                totals.connected -= 1
                return
            if line.startswith(b"event: "):
                totals.events += 1
                if line.startswith(b"event: board"):
                    totals.boards += 1
    except (OSError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def main(url, streams, agencies):
    parts = urlsplit(url)
    totals, stop = Totals(), asyncio.Event()
    ready = asyncio.Semaphore(0)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: sys.stdin.read(1) or stop.set())
    tasks = []
    for i in range(streams):
        agency = agencies[i % len(agencies)]
        path = "/api/v1/stream/board" + ("?agency=" + agency if agency else "")
        tasks.append(asyncio.create_task(hold(parts.hostname, parts.port, path, totals, ready,
                                              stop)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # screens switch on over a moment, not in one burst
    for _ in range(streams):
        await ready.acquire()
    print(json.dumps({"connected": totals.connected, "refused": totals.refused}), flush=True)
    await stop.wait()
    open_at_end = totals.connected
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps({"open_at_end": open_at_end, "refused": totals.refused,
                      "closed_by_server": totals.closed, "frames": totals.events,
                      "board_snapshots": totals.boards}), flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")))
