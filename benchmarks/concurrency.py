"""Throughput of aflab's task against a slow OpenAI-compatible server, at many connections.

Starts the loopback fake server of the tests (127.0.0.1 only, fixed latency, scripted
scratchpad-format replies, bounded request count and lifetime), then runs aflab's
alignment-faking task through Inspect's `openai-api/fake/...` provider with
`--connections` connections on at least `--samples` samples (whole epochs of the
default setting's 120 samples), one model call per sample.

The ideal time is ceil(calls / connections) x latency. Two figures:

- throughput_vs_ideal: ideal / the server's busy window (first request to last
  reply): how close to the connection limit requests were kept in flight;
- harness_ms_per_sample: (whole eval wall time - ideal) / samples: everything the
  harness adds (task set-up, scoring, logging), per sample.

The last line is `throughput_vs_ideal=<x> harness_ms_per_sample=<y>`.

Usage: python benchmarks/concurrency.py [--samples 512] [--connections 64] [--latency 0.3]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from inspect_ai import eval

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai_server import running_server

from aflab.tasks import alignment_faking


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=512)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.3)
    args = parser.parse_args()

    task = alignment_faking(variant="no_examples", max_continuations=0)
    per_epoch = len(task.dataset)
    epochs = math.ceil(args.samples / per_epoch)
    samples = per_epoch * epochs
    os.environ["FAKE_API_KEY"] = "not-a-secret"
    with (
        tempfile.TemporaryDirectory() as log_dir,
        running_server(latency=args.latency, max_requests=2 * samples, max_seconds=600) as server,
    ):
        started = time.perf_counter()
        [log] = eval(
            task,
            model="openai-api/fake/scripted",
            model_base_url=server.base_url,
            model_args={"max_retries": 0},
            epochs=epochs,
            max_connections=args.connections,
            max_samples=args.connections,
            max_retries=2,
            attempt_timeout=30,
            timeout=120,
            display="none",
            log_dir=log_dir,
        )
        wall = time.perf_counter() - started
        window = server.last_reply - server.first_request
        errors = sum(1 for s in log.samples or [] if s.error)

    calls = server.requests
    ideal = math.ceil(calls / args.connections) * args.latency
    print(f"status {log.status}; samples {samples} ({epochs} epochs of {per_epoch}); "
          f"model calls {calls}; sample errors {errors}; peak in flight {server.peak_in_flight}")
    print(f"connections {args.connections}; latency {args.latency * 1000:.0f} ms; "
          f"ideal {ideal:.2f} s; server busy {window:.2f} s; whole eval {wall:.2f} s")
    print(f"throughput_vs_ideal={ideal / window:.2f} "
          f"harness_ms_per_sample={(wall - ideal) * 1000 / samples:.1f}")


if __name__ == "__main__":
    main()
