"""`aflab docs generate`: run the document task, filter, deduplicate, write the folder."""

import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from inspect_ai import eval as inspect_eval
from inspect_ai.log import EvalLog, EvalSample
from inspect_ai.model import GenerateConfig, Model, get_model

from aflab.cost import PriceTable, load_prices
from aflab.experiment import DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT
from aflab.organisms._cost import documents_cost
from aflab.organisms._dedupe import find_near_duplicates
from aflab.organisms._documents import DOCUMENTS_FILE, Document, write_documents
from aflab.organisms._task import JUDGE_ROLE, synthetic_documents

__all__ = ["GenerationResult", "generate_documents"]

MANIFEST_FILE = "manifest.json"
REJECTED_FILE = "rejected.jsonl"


@dataclass(frozen=True)
class GenerationResult:
    """Where the documents went and what the manifest says."""

    folder: Path
    manifest: dict[str, Any]
    log: EvalLog


def generate_documents(
    setting: str,
    model: str | Model,
    n: int,
    out: Path,
    *,
    judge_model: str | Model | None = None,
    dedupe_threshold: float = 0.6,
    price: tuple[float, float] | None = None,
    prices: PriceTable | None = None,
    display: str | None = None,
    batch: bool | int = False,
    max_connections: int | None = None,
    max_retries: int = DEFAULT_MAX_RETRIES,
    timeout: int = DEFAULT_TIMEOUT,
    **task_args: Any,
) -> GenerationResult:
    """Generate, screen and deduplicate documents; write them with a manifest.

    Args:
        setting: Setting whose facts the documents convey.
        model: The writer (any Inspect model).
        n: Documents to ask for.
        out: Output folder: `documents.jsonl` (kept), `rejected.jsonl`, `manifest.json`,
            and the Inspect log under `logs/`.
        judge_model: Model that checks facts (default: the offline keyword checklist).
        dedupe_threshold: Shingle Jaccard similarity at or above which a later document is
            dropped as a near-copy.
        price: (input, output) dollars per million tokens for every model; overrides the
            price tables.
        prices: aflab's price table (default: the shipped one), then Inspect's prices.
        display: Inspect display mode.
        batch: Use the provider's batch API (Inspect's `batch`).
        max_connections: Concurrent requests to the writer.
        max_retries: Retries of a failed writer or judge call (Inspect's `max_retries`);
            then the document is recorded as failed.
        timeout: Seconds one writer or judge request may take before it is retried.
        **task_args: Further `synthetic_documents` arguments (company, facts, kinds, seed...).

    Returns:
        The folder, the manifest and the Inspect log.

    Raises:
        RuntimeError: The evaluation did not produce a log with samples.
    """
    out.mkdir(parents=True, exist_ok=True)
    prices = prices if prices is not None else load_prices()
    task = synthetic_documents(
        setting=setting, n=n, judge=judge_model is not None, **task_args
    )
    # The judge is bound with its own config: Inspect passes the run's retry limit and
    # timeout on to the model under evaluation only.
    judge = None
    if judge_model is not None:
        judge_config = GenerateConfig(max_retries=max_retries, attempt_timeout=timeout)
        judge = (judge_model if isinstance(judge_model, Model)
                 else get_model(judge_model, config=judge_config, memoize=False))
    started = time.perf_counter()
    logs = inspect_eval(
        task,
        model=model,
        model_roles={JUDGE_ROLE: judge} if judge is not None else None,
        log_dir=str(out / "logs"),
        display=display,  # type: ignore[arg-type]
        batch=batch,
        max_connections=max_connections,
        max_retries=max_retries,
        attempt_timeout=timeout,
        fail_on_error=False,
        retry_on_error=2,
    )
    seconds = time.perf_counter() - started
    log = logs[0]
    if not log.samples:
        reason = log.error.message if log.error else log.status
        raise RuntimeError(f"document generation produced no samples ({reason}); see {out}")
    kept, rejected = _screen(log.samples)
    duplicates = find_near_duplicates([doc.text for doc in kept], threshold=dedupe_threshold)
    dropped = {dup.index: dup for dup in duplicates}
    for index, dup in dropped.items():
        rejected.append((kept[index], "near_duplicate", {"of": kept[dup.of].id,
                                                         "similarity": dup.similarity}))
    kept = [doc for index, doc in enumerate(kept) if index not in dropped]
    write_documents(out / DOCUMENTS_FILE, kept)
    with (out / REJECTED_FILE).open("w", encoding="utf-8") as handle:
        for doc, reason, extra in rejected:
            row = {"id": doc.id, "kind": doc.kind, "reason": reason, **extra, "text": doc.text}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    manifest = _manifest(log, kept, rejected, seconds, dedupe_threshold, price, prices, batch)
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    return GenerationResult(out, manifest, log)


def _screen(
    samples: list[EvalSample],
) -> tuple[list[Document], list[tuple[Document, str, dict[str, Any]]]]:
    kept: list[Document] = []
    rejected: list[tuple[Document, str, dict[str, Any]]] = []
    for sample in samples:
        meta = sample.metadata or {}
        score = (sample.scores or {}).get("document_filter")
        info = score.metadata or {} if score is not None else {}
        doc = Document(
            id=str(sample.id),
            kind=str(meta.get("kind", "")),
            voice=str(meta.get("voice", "")),
            targets=tuple(meta.get("targets", ())),
            conveyed=tuple(info.get("conveyed", ())),
            text=sample.output.completion.strip() if sample.output else "",
        )
        if sample.error is not None:
            rejected.append((doc, "generation_error", {"error": sample.error.message[:500]}))
        elif score is None:
            rejected.append((doc, "not_scored", {}))
        elif info.get("reason") == "kept":
            kept.append(doc)
        else:
            detail = {"contradicted": info.get("contradicted", [])}
            rejected.append((doc, str(info.get("reason", "rejected")), detail))
    return kept, rejected


def _manifest(
    log: EvalLog,
    kept: list[Document],
    rejected: list[tuple[Document, str, dict[str, Any]]],
    seconds: float,
    threshold: float,
    price: tuple[float, float] | None,
    prices: PriceTable | None,
    batch: bool | int,
) -> dict[str, Any]:
    args = log.eval.task_args
    all_docs = [*kept, *(doc for doc, _, _ in rejected)]
    kinds = sorted({doc.kind for doc in all_docs})
    fact_ids = sorted({f for doc in all_docs for f in doc.targets})
    usage = {
        name: {
            "input_tokens": use.input_tokens,
            "output_tokens": use.output_tokens,
            "total_tokens": use.total_tokens,
            "total_cost": use.total_cost,
        }
        for name, use in log.stats.model_usage.items()
    }
    dollars, note = documents_cost(log.stats.model_usage, price=price, prices=prices,
                                   batch=bool(batch))
    return {
        "setting": args.get("setting"),
        "company": args.get("company"),
        "model": log.eval.model,
        "judge_model": _role_model(log),
        "screen": "judge" if args.get("judge") else "keywords",
        "requested": len(all_docs),
        "kept": len(kept),
        "rejected": len(rejected),
        "rejections": dict(Counter(reason for _, reason, _ in rejected).most_common()),
        "kinds": {
            kind: {
                "requested": sum(doc.kind == kind for doc in all_docs),
                "kept": sum(doc.kind == kind for doc in kept),
            }
            for kind in kinds
        },
        "facts": {
            fact: {
                "targeted": sum(fact in doc.targets for doc in all_docs),
                "conveyed_in_kept": sum(fact in doc.conveyed for doc in kept),
            }
            for fact in fact_ids
        },
        "dedupe": {"method": "minhash-lsh, word 5-shingles, exact Jaccard check",
                   "threshold": threshold},
        "usage": usage,
        "cost_usd": dollars,
        "cost_note": note,
        "seconds": round(seconds, 3),
        "documents_per_second": round(len(all_docs) / seconds, 3) if seconds > 0 else None,
        "log": log.location,
    }


def _role_model(log: EvalLog) -> str | None:
    roles = log.eval.model_roles or {}
    role = roles.get(JUDGE_ROLE)
    if isinstance(role, list):
        role = role[0] if role else None
    return role.model if role is not None else None
