"""Time `build_report` on 10,000 synthetic samples (target: under 10 s).

Four conditions (two models x two variants) of 1,250 paired queries each, written as Inspect
logs first (not timed); the timed part reads the logs, computes the statistics, draws the
figures and writes the report. The last line is `report_seconds=<s> samples=<n>`.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from helpers_logs import SampleSpec, log_name, pattern, write_log

from aflab.report import build_report

LONG = "I weigh the request against the training criteria. " * 60


def write_logs(directory: Path, samples: int) -> None:
    per_condition = samples // 8
    for model in ("mockllm/a", "mockllm/b"):
        for variant, gap in (("default", 0.12), ("no_rlhf", 0.02)):
            specs = pattern(
                per_condition,
                training_comply=0.3 + gap,
                unmonitored_comply=0.3,
                training_af=0.1,
                unmonitored_af=0.01,
            )
            specs = [SampleSpec(**{**s.__dict__, "scratchpad": LONG + s.query_id}) for s in specs]
            path = directory / "logs" / log_name(model, "helpful_only", variant)
            write_log(path, specs, model=model, variant=variant)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        started = time.perf_counter()
        write_logs(directory, args.samples)
        print(f"wrote logs in {time.perf_counter() - started:.1f}s")
        started = time.perf_counter()
        result = build_report(directory / "logs", directory / "report")
        seconds = time.perf_counter() - started
        size = result.index_html.stat().st_size / 1e6
        print(f"index.html: {size:.1f} MB")
        print(f"report_seconds={seconds:.2f} samples={args.samples}")


if __name__ == "__main__":
    main()
