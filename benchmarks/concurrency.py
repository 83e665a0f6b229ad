"""Throughput of aflab's task against a slow OpenAI-compatible server, at many connections.

Starts the loopback fake server of the tests in its own process (127.0.0.1 only, fixed
latency, scripted scratchpad-format replies, bounded request count and lifetime), as a
remote API would be, then runs aflab's alignment-faking task through Inspect's
`openai-api/fake/...` provider with `--connections` connections on at least `--samples`
samples (whole epochs of the default setting's 120 samples), one model call per sample.

The ideal time is ceil(calls / connections) x latency. Two figures:

- throughput_vs_ideal: ideal / the server's busy window (first request to last
  reply): how close to the connection limit requests were kept in flight;
- harness_ms_per_sample: (whole eval wall time - ideal) / samples: everything the
  harness adds (task set-up, scoring, logging), per sample.

The line before the last gives the CPU time of the harness process per sample (Inspect and
aflab on one event loop, start-up included; the server's CPU is not in it). At a CPU cost c
per sample, throughput_vs_ideal cannot exceed latency / (connections x c): 0.9 at 64
connections and 300 ms needs c <= 4.7 ms. The last line is
`throughput_vs_ideal=<x> harness_ms_per_sample=<y>`.

Switches that locate the cost: `--bare` runs the same prompts through Inspect's plain
`generate()` with no scorer (Inspect's own cost per sample); `--no-score` runs aflab's
solvers with no scorer (what the four scorers add is the difference to the full task);
`--no-log-realtime` passes Inspect's `log_realtime=False` (no sample buffer database:
samples are not viewable live in `inspect view` and cannot be recovered from the buffer
after a crash; the finished log is the same). `aflab run` keeps Inspect's default (realtime
on); users can turn it off with Inspect's `INSPECT_EVAL_NO_LOG_REALTIME=1`.

Usage: python benchmarks/concurrency.py [--samples 512] [--connections 64] [--latency 0.3]
    [--max-samples N] [--bare | --no-score] [--no-log-realtime]
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

from inspect_ai import Task, eval
from inspect_ai.solver import generate

from aflab.tasks import alignment_faking

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fake_openai_server import server_process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=512)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.3)
    parser.add_argument(
        "--max-samples", type=int, help="Samples in flight (default: 2 x connections)."
    )
    cost = parser.add_mutually_exclusive_group()
    cost.add_argument("--bare", action="store_true", help="Plain generate(), no scorer.")
    cost.add_argument("--no-score", action="store_true", help="aflab's solvers, no scorer.")
    parser.add_argument("--no-log-realtime", action="store_true", help="log_realtime=False.")
    args = parser.parse_args()

    task = alignment_faking(variant="no_examples", max_continuations=0)
    kind = "aflab task"
    if args.bare:
        task, kind = Task(dataset=task.dataset, solver=generate(), name="bare"), "bare generate"
    elif args.no_score:
        task, kind = Task(dataset=task.dataset, solver=task.solver, name="no_score"), "no scorer"
    per_epoch = len(task.dataset)
    epochs = math.ceil(args.samples / per_epoch)
    samples = per_epoch * epochs
    os.environ["FAKE_API_KEY"] = "not-a-secret"
    with (
        server_process(latency=args.latency, max_requests=2 * samples) as server,
        tempfile.TemporaryDirectory() as log_dir,
    ):
        started, started_cpu = time.perf_counter(), time.process_time()
        [log] = eval(
            task,
            model="openai-api/fake/scripted",
            model_base_url=server.base_url,
            model_args={"max_retries": 0},
            epochs=epochs,
            max_connections=args.connections,
            max_samples=args.max_samples or 2 * args.connections,
            max_retries=2,
            attempt_timeout=30,
            timeout=120,
            display="none",
            score_display=False,  # as `aflab run --display none`: no running metrics
            log_dir=log_dir,
            log_realtime=False if args.no_log_realtime else None,
        )
        wall = time.perf_counter() - started
        cpu = time.process_time() - started_cpu
        errors = sum(1 for s in log.samples or [] if s.error)
    stats = server.stats  # counters the server printed when it stopped

    calls = stats["requests"]
    window = stats["busy_seconds"]
    ideal = math.ceil(calls / args.connections) * args.latency
    print(f"status {log.status}; samples {samples} ({epochs} epochs of {per_epoch}); "
          f"model calls {calls}; sample errors {errors}; "
          f"peak in flight {stats['peak_in_flight']}")
    print(f"connections {args.connections}; latency {args.latency * 1000:.0f} ms; "
          f"ideal {ideal:.2f} s; server busy {window:.2f} s; whole eval {wall:.2f} s")
    print(f"harness CPU {cpu:.2f} s = {cpu * 1000 / samples:.1f} ms per sample ({kind}; "
          f"log_realtime {'off' if args.no_log_realtime else 'on'}; start-up included)")
    print(f"throughput_vs_ideal={ideal / window:.2f} "
          f"harness_ms_per_sample={(wall - ideal) * 1000 / samples:.1f}")


if __name__ == "__main__":
    main()
