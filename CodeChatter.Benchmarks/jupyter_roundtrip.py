"""The warm Jupyter kernel baseline of the CodeChatter benchmark.

Starts one ipykernel (Debian's python3-ipykernel) through jupyter_client, warms it up, then times
execute("print(1)") round trips one after the other: from sending the execute_request until both its
execute_reply (shell) and the kernel's idle status after the stream output (iopub) have arrived. Prints one
JSON object: median and p95 in ms, the sample count, and the idle kernel's resident memory (VmRSS, KiB).

Usage: /usr/bin/python3 jupyter_roundtrip.py [count] [warm_up]
"""

import json
import math
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 30.0


def round_trip(client):
    """One execute of print(1); returns its wall time in ms."""
    started = time.perf_counter()
    msg_id = client.execute("print(1)", store_history=False)
    stdout, idle, reply = "", False, None
    while not idle:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["header"]["msg_type"]
        if kind == "stream" and msg["content"]["name"] == "stdout":
            stdout += msg["content"]["text"]
        elif kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
    while reply is None:
        msg = client.get_shell_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg
    elapsed = (time.perf_counter() - started) * 1000
    if reply["content"]["status"] != "ok" or stdout != "1\n":
        raise RuntimeError(f"unexpected answer: status {reply['content']['status']}, stdout {stdout!r}")
    return elapsed


def percentile(sorted_values, percent):
    rank = math.ceil(percent / 100 * len(sorted_values)) - 1
    return sorted_values[min(max(rank, 0), len(sorted_values) - 1)]


def resident_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    warm_up = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    manager = KernelManager(kernel_name="python3")
    manager.start_kernel()
    client = manager.client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=60)
        for _ in range(warm_up):
            round_trip(client)
        samples = sorted(round_trip(client) for _ in range(count))
        time.sleep(1)
        pid = getattr(manager.provisioner, "pid", None)
        print(json.dumps({
            "count": count,
            "median_ms": percentile(samples, 50),
            "p95_ms": percentile(samples, 95),
            "kernel_rss_kib": resident_kib(pid) if pid else None,
        }))
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
