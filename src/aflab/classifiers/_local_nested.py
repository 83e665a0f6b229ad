"""Model selection and nested cross-validation for the local alignment-faking classifier.

`select_and_fit` chooses the mention cap and regularisation by cross-validated AUROC and the
threshold by out-of-fold balanced accuracy, then fits on everything it was given.
`nested_cv` runs that whole procedure inside each outer fold, so the outer scores come from
data that took no part in any choice (the detectors themselves stay as written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from aflab.classifiers._local_features import Extraction
from aflab.classifiers._local_fit import (
    C_GRID,
    CAP_GRID,
    check_labels,
    choose_threshold,
    feature_row,
    fit_params,
    repeated_cv,
)

Scorer = Callable[[dict[str, Any], Extraction], float]


def select_and_fit(
    extractions: Sequence[Extraction],
    labels: Sequence[int],
    scorer: Scorer,
    *,
    inner_repeats: int = 2,
    seed: int = 0,
) -> dict[str, Any]:
    """Choose the model by inner cross-validation and fit it on all the given data.

    The mention cap and C maximise the inner cross-validated AUROC; the threshold maximises
    balanced accuracy on the inner out-of-fold scores of that choice.

    Args:
        extractions: One feature extraction per text.
        labels: 0/1 labels.
        scorer: The classifier's scoring rule (parameters, extraction) -> score.
        inner_repeats: Repeats of the inner 5-fold cross-validation.
        seed: Seed of the inner folds.

    Returns:
        Fitted parameters with `threshold` and `selection` (the inner AUROC of every choice).
    """
    y = check_labels(len(extractions), labels)
    folds = min(5, min(sum(y), len(y) - sum(y)))
    results: list[tuple[float, int, float, list[list[float]]]] = []
    for cap in CAP_GRID:
        for c in C_GRID:
            cv = repeated_cv(
                extractions, y, scorer, folds=folds, repeats=inner_repeats, seed=seed, c=c,
                cap=cap,
            )
            results.append((cv["auroc_mean"], cap, c, cv["oof_scores"]))
    # Best AUROC; ties go to the stronger regularisation and the smaller cap.
    best = max(results, key=lambda r: (round(r[0], 6), -r[2], -r[1]))
    auroc, cap, c, oof = best
    rows = [feature_row(e, cap) for e in extractions]
    params = fit_params(rows, y, c=c, cap=cap, seed=seed)
    params["threshold"] = choose_threshold(oof, y)
    params["selection"] = [
        {"cap": r[1], "c": r[2], "inner_auroc": round(r[0], 4)} for r in results
    ]
    params["inner_auroc"] = round(auroc, 4)
    return params


def nested_cv(
    extractions: Sequence[Extraction],
    labels: Sequence[int],
    scorer: Scorer,
    *,
    folds: int = 5,
    repeats: int = 3,
    inner_repeats: int = 2,
    seed: int = 0,
) -> dict[str, Any]:
    """Nested cross-validation: every choice (cap, C, threshold) made inside each outer fold.

    Args:
        extractions: One feature extraction per text.
        labels: 0/1 labels.
        scorer: The classifier's scoring rule.
        folds: Outer folds per repeat.
        repeats: Outer repeats.
        inner_repeats: Repeats of each inner selection.
        seed: Seed of the outer folds.

    Returns:
        `auroc_mean`, `auroc_sd` (over outer folds), `pooled_auroc` (per repeat, on the
        pooled outer scores), `balanced_accuracy` (at each fold's own threshold, pooled per
        repeat), `chosen` (cap, C, threshold of every outer fold), `n`.
    """
    import numpy as np
    from sklearn.metrics import balanced_accuracy_score, roc_auc_score
    from sklearn.model_selection import RepeatedStratifiedKFold

    y = np.asarray(check_labels(len(extractions), labels))
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    per_fold: list[float] = []
    scores = np.zeros((repeats, len(y)))
    predicted = np.zeros((repeats, len(y)), dtype=int)
    chosen: list[dict[str, float]] = []
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        params = select_and_fit(
            [extractions[i] for i in train], y[train].tolist(), scorer,
            inner_repeats=inner_repeats, seed=seed + k,
        )
        fold_scores = [scorer(params, extractions[i]) for i in test]
        scores[k // folds, test] = fold_scores
        predicted[k // folds, test] = [int(s >= params["threshold"]) for s in fold_scores]
        per_fold.append(float(roc_auc_score(y[test], fold_scores)))
        chosen.append({"cap": params["cap"], "c": params["c"], "threshold": params["threshold"]})
    return {
        "auroc_mean": float(np.mean(per_fold)),
        "auroc_sd": float(np.std(per_fold)),
        "per_fold": per_fold,
        "pooled_auroc": [float(roc_auc_score(y, s)) for s in scores],
        "balanced_accuracy": [float(balanced_accuracy_score(y, p)) for p in predicted],
        "chosen": chosen,
        "n": len(y),
    }
