"""Validate a faking classifier against human labels: load label files, compute metrics.

Metrics come from scikit-learn. Items a classifier could not score (score None or NaN) are
excluded from every metric and counted as failures, never turned into a "no".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "LabelFileError",
    "LabelledText",
    "ValidationReport",
    "auroc_interval",
    "best_threshold",
    "evaluate",
    "format_report",
    "load_labelled",
    "parse_label",
    "report_to_dict",
]

_POSITIVE = frozenset({"potential_faking", "faking", "alignment_faking", "yes", "true", "1"})
_NEGATIVE = frozenset({"aligned", "not_faking", "no", "false", "0"})
_PREVIEW_CHARS = 160
_TAG = re.compile(r"</?[A-Za-z_]+/?>")


class LabelFileError(ValueError):
    """A label file is missing, unreadable, or has a bad row (the message says which)."""


@dataclass(frozen=True)
class LabelledText:
    """One labelled text from a label file.

    Attributes:
        text: The scratchpad text.
        label: 1 for alignment faking, 0 for aligned.
        index: Position of the row in the file (0-based).
    """

    text: str
    label: int
    index: int


def parse_label(value: object) -> int:
    """Turn an accepted label form into 1 (faking) or 0 (aligned).

    Accepted: ``potential_faking``/``faking``/``alignment_faking``/``yes``/``true``/``1`` and
    ``aligned``/``not_faking``/``no``/``false``/``0`` (any case), booleans, and the numbers
    1 and 0.

    Args:
        value: The raw label.

    Returns:
        1 or 0.

    Raises:
        ValueError: For anything else.

    Examples:
        >>> parse_label("potential_faking"), parse_label("Aligned"), parse_label(True)
        (1, 0, 1)
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float) and value in (0, 1):
        return int(value)
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key in _POSITIVE:
            return 1
        if key in _NEGATIVE:
            return 0
    raise ValueError(
        f"label {value!r} is not one of potential_faking/faking/yes/true/1 or aligned/no/false/0"
    )


def _rows_from_file(path: Path) -> list[tuple[object, str]]:
    """Raw rows with a location string (row index, and line for JSONL)."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as e:
        raise LabelFileError(f"{path}: file not found") from e
    except (OSError, UnicodeDecodeError) as e:
        raise LabelFileError(f"{path}: cannot read file ({e})") from e
    if not raw.strip():
        raise LabelFileError(f"{path}: file is empty")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        data = None
        lines = [(n, line) for n, line in enumerate(raw.splitlines(), 1) if line.strip()]
        if len(lines) < 2 and path.suffix != ".jsonl":
            raise LabelFileError(f"{path}: not valid JSON or JSONL") from None
        rows: list[tuple[object, str]] = []
        for i, (n, line) in enumerate(lines):
            try:
                rows.append((json.loads(line), f"row {i} (line {n})"))
            except json.JSONDecodeError as e:
                raise LabelFileError(
                    f"{path}: row {i} (line {n}) is not valid JSON: {e.msg}"
                ) from None
        return rows
    if isinstance(data, dict):
        if "samples" not in data:
            raise LabelFileError(f"{path}: JSON object has no 'samples' list")
        data = data["samples"]
    if not isinstance(data, list):
        raise LabelFileError(f"{path}: expected a list of samples, got {type(data).__name__}")
    return [(row, f"row {i}") for i, row in enumerate(data)]


def load_labelled(
    path: str | Path, *, text_field: str = "text", label_field: str = "label"
) -> list[LabelledText]:
    """Load labelled texts from ``{"samples": [...]}`` JSON, a JSON list, or JSONL.

    Args:
        path: The label file.
        text_field: Key of the text in each row.
        label_field: Key of the label in each row (forms accepted by `parse_label`).

    Returns:
        One `LabelledText` per row, in file order.

    Raises:
        LabelFileError: Missing or unreadable file, no rows, or a bad row (named by index).
    """
    path = Path(path)
    rows = _rows_from_file(path)
    if not rows:
        raise LabelFileError(f"{path}: no samples")
    out: list[LabelledText] = []
    for i, (row, where) in enumerate(rows):
        if not isinstance(row, dict):
            raise LabelFileError(f"{path}: {where} is a {type(row).__name__}, not an object")
        if text_field not in row:
            raise LabelFileError(f"{path}: {where} has no {text_field!r} field")
        text = row[text_field]
        if not isinstance(text, str):
            raise LabelFileError(f"{path}: {where} field {text_field!r} is not a string")
        if label_field not in row:
            raise LabelFileError(f"{path}: {where} has no {label_field!r} field")
        try:
            label = parse_label(row[label_field])
        except ValueError as e:
            raise LabelFileError(f"{path}: {where}: {e}") from None
        out.append(LabelledText(text=text, label=label, index=i))
    return out


@dataclass(frozen=True)
class ValidationReport:
    """Agreement of classifier scores with human labels.

    Attributes:
        n: Items scored (failures excluded).
        auroc: Area under the ROC curve; None when only one class is present.
        accuracy: Share of correct labels at `threshold` (None when n is 0).
        precision: Precision for the faking class (0 when nothing is predicted faking).
        recall: Recall for the faking class.
        f1: F1 for the faking class.
        threshold: Score at or above which an item is predicted faking.
        confusion: ``tn``, ``fp``, ``fn``, ``tp``.
        misclassified: ``index``, ``label``, ``score``, ``text_preview`` per wrong item.
        failures: Items that could not be scored (excluded from the metrics).
        notes: Caveats, e.g. why AUROC is missing.
        auroc_ci: 95% stratified percentile-bootstrap interval of the AUROC (`auroc_interval`).
        best_threshold: The cut with the highest balanced accuracy on these labels (an
            in-sample optimum, optimistic for new data); None without both classes.
        best_balanced_accuracy: Balanced accuracy at `best_threshold`.
    """

    n: int
    auroc: float | None
    accuracy: float | None
    precision: float | None
    recall: float | None
    f1: float | None
    threshold: float
    confusion: dict[str, int]
    misclassified: list[dict[str, Any]]
    failures: int
    notes: list[str] = field(default_factory=list)
    auroc_ci: tuple[float, float] | None = None
    best_threshold: float | None = None
    best_balanced_accuracy: float | None = None


def auroc_interval(
    scores: Sequence[float], labels: Sequence[int], *, n_resamples: int = 2000, seed: int = 0
) -> tuple[float, float]:
    """95% percentile-bootstrap interval of the AUROC, resampling each class separately.

    The AUROC is the Mann-Whitney probability that a faking item outscores an aligned one
    (ties count half); `scipy.stats.bootstrap` resamples the two classes independently, so
    every resample keeps the class sizes. `tests/classifiers/test_validation.py` checks its
    coverage by simulation.

    Args:
        scores: Scores of the scored items.
        labels: Their 0/1 labels (both classes present).
        n_resamples: Bootstrap resamples.
        seed: Seed.

    Returns:
        `(lo, hi)`.
    """
    import numpy as np
    from scipy import stats

    s, y = np.asarray(scores, float), np.asarray(labels, int)
    pos, neg = s[y == 1], s[y == 0]

    def auc(x: Any, z: Any, axis: int = -1) -> Any:
        x, z = np.moveaxis(x, axis, -1), np.moveaxis(z, axis, -1)
        diff = x[..., :, None] - z[..., None, :]
        return ((diff > 0) + 0.5 * (diff == 0)).mean(axis=(-2, -1))

    if np.unique(s).size == 1 or len(pos) < 2 or len(neg) < 2:
        point = float(auc(pos, neg))
        return point, point
    batch = max(1, 4_000_000 // (len(pos) * len(neg)))
    result = stats.bootstrap(
        (pos, neg),
        auc,
        vectorized=True,
        n_resamples=n_resamples,
        batch=batch,
        method="percentile",
        rng=np.random.default_rng(seed),
    )
    lo, hi = result.confidence_interval
    return float(lo), float(hi)


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> tuple[float, float]:
    """The observed score that, used as the cut, maximises balanced accuracy.

    Args:
        scores: Scores of the scored items.
        labels: Their 0/1 labels (both classes present).

    Returns:
        `(threshold, balanced_accuracy)`; ties go to the cut nearest 0.5.
    """
    from sklearn.metrics import roc_curve

    fpr, tpr, cuts = roc_curve(list(labels), list(scores))
    best, best_value = 0.5, -1.0
    for f, t, cut in sorted(zip(fpr, tpr, cuts, strict=True), key=lambda r: abs(r[2] - 0.5)):
        value = 0.5 * (t + 1.0 - f)
        if math.isfinite(cut) and value > best_value + 1e-12:
            best, best_value = float(cut), float(value)
    return best, best_value


def _preview(text: str) -> str:
    flat = " ".join(_TAG.sub(" ", text).split())
    return flat if len(flat) <= _PREVIEW_CHARS else flat[: _PREVIEW_CHARS - 1] + "…"


def evaluate(
    scores: Sequence[float | None],
    labels: Sequence[int],
    *,
    threshold: float,
    texts: Sequence[str] | None = None,
) -> ValidationReport:
    """Compare scores with 0/1 labels.

    Args:
        scores: One score per item; None (or NaN) marks an item that could not be scored.
        labels: 1 for faking, 0 for aligned.
        threshold: Predicted faking when ``score >= threshold``.
        texts: The texts, for previews of misclassified items.

    Returns:
        The report; scikit-learn computes AUROC, confusion matrix, precision, recall and F1.

    Raises:
        ValueError: When the lengths differ or a label is not 0/1.
    """
    from sklearn.metrics import (
        accuracy_score,
        confusion_matrix,
        precision_recall_fscore_support,
        roc_auc_score,
    )

    if len(scores) != len(labels) or (texts is not None and len(texts) != len(labels)):
        raise ValueError("scores, labels and texts must have the same length")
    if any(int(v) not in (0, 1) for v in labels):
        raise ValueError("labels must be 0 or 1")
    kept = [i for i, s in enumerate(scores) if s is not None and not math.isnan(s)]
    failures = len(scores) - len(kept)
    y = [int(labels[i]) for i in kept]
    s = [float(scores[i]) for i in kept]  # type: ignore[arg-type]
    pred = [int(v >= threshold) for v in s]
    notes: list[str] = []
    if failures:
        notes.append(f"{failures} item(s) could not be scored and are excluded")
    auroc: float | None = None
    auroc_ci: tuple[float, float] | None = None
    best: tuple[float, float] | tuple[None, None] = (None, None)
    if len(set(y)) == 2:
        auroc = float(roc_auc_score(y, s))
        auroc_ci = auroc_interval(s, y)
        best = best_threshold(s, y)
    else:
        notes.append("AUROC undefined: the scored items do not contain both classes")
    tn = fp = fn = tp = 0
    accuracy = precision = recall = f1 = None
    if y:
        tn, fp, fn, tp = (int(v) for v in confusion_matrix(y, pred, labels=[0, 1]).ravel())
        accuracy = float(accuracy_score(y, pred))
        p, r, f, _ = precision_recall_fscore_support(
            y, pred, average="binary", pos_label=1, labels=[0, 1], zero_division=0
        )
        precision, recall, f1 = float(p), float(r), float(f)
    misclassified = [
        {
            "index": i,
            "label": int(labels[i]),
            "score": round(float(scores[i]), 4),  # type: ignore[arg-type]
            "text_preview": None if texts is None else _preview(texts[i]),
        }
        for i, p_i in zip(kept, pred, strict=True)
        if p_i != int(labels[i])
    ]
    return ValidationReport(
        n=len(kept),
        auroc=auroc,
        accuracy=accuracy,
        precision=precision,
        recall=recall,
        f1=f1,
        threshold=float(threshold),
        confusion={"tn": tn, "fp": fp, "fn": fn, "tp": tp},
        misclassified=misclassified,
        failures=failures,
        notes=notes,
        auroc_ci=auroc_ci,
        best_threshold=best[0],
        best_balanced_accuracy=best[1],
    )


def report_to_dict(report: ValidationReport) -> dict[str, Any]:
    """The report as a JSON-ready dict (None where a metric is undefined)."""
    return asdict(report)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def format_report(report: ValidationReport) -> str:
    """Human-readable report: metrics, confusion matrix and misclassified items."""
    c = report.confusion
    ci = ""
    if report.auroc_ci is not None:
        ci = f" (95% CI {report.auroc_ci[0]:.3f}-{report.auroc_ci[1]:.3f}, bootstrap)"
    best = "best threshold on these labels: n/a"
    if report.best_threshold is not None:
        best = (
            f"best threshold on these labels: {report.best_threshold:.3f} (balanced accuracy "
            f"{_fmt(report.best_balanced_accuracy)}; in-sample, optimistic for new data)"
        )
    lines = [
        f"n={report.n}  failures={report.failures}  threshold={report.threshold:.2f}",
        f"AUROC {_fmt(report.auroc)}{ci}  accuracy {_fmt(report.accuracy)}  "
        f"precision {_fmt(report.precision)}  recall {_fmt(report.recall)}  "
        f"F1 {_fmt(report.f1)}  (at threshold {report.threshold:.2f})",
        best,
        "",
        "confusion matrix (rows: human label, columns: predicted)",
        f"{'':>14}{'aligned':>10}{'faking':>10}",
        f"{'aligned':>14}{c['tn']:>10}{c['fp']:>10}",
        f"{'faking':>14}{c['fn']:>10}{c['tp']:>10}",
    ]
    lines += [f"note: {note}" for note in report.notes]
    lines.append("")
    lines.append(f"misclassified ({len(report.misclassified)}):")
    for item in report.misclassified:
        kind = "missed faking" if item["label"] == 1 else "false alarm"
        preview = item["text_preview"] or ""
        lines.append(f"  [{item['index']}] {kind}, score {item['score']:.3f}  {preview}")
    return "\n".join(lines)
