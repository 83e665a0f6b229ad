import json
import math

import numpy as np
import pytest
from scipy import stats
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    precision_recall_fscore_support,
    roc_auc_score,
)

from aflab.classifiers.validation import (
    LabelFileError,
    LabelledText,
    auroc_interval,
    best_threshold,
    evaluate,
    format_report,
    load_labelled,
    parse_label,
    report_to_dict,
)

SCORES = [0.9, 0.2, 0.65, 0.4, 0.1, 0.8, 0.55, 0.3]
LABELS = [1, 0, 1, 1, 0, 0, 0, 1]


def _sklearn(scores, labels, threshold):
    pred = [int(s >= threshold) for s in scores]
    p, r, f, _ = precision_recall_fscore_support(labels, pred, average="binary", zero_division=0)
    tn, fp, fn, tp = confusion_matrix(labels, pred, labels=[0, 1]).ravel()
    return {
        "auroc": roc_auc_score(labels, scores),
        "accuracy": accuracy_score(labels, pred),
        "precision": p,
        "recall": r,
        "f1": f,
        "confusion": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
    }


def test_metrics_equal_sklearn():
    report = evaluate(SCORES, LABELS, threshold=0.5)
    expected = _sklearn(SCORES, LABELS, 0.5)
    for key in ("auroc", "accuracy", "precision", "recall", "f1"):
        assert getattr(report, key) == pytest.approx(expected[key])
    assert report.confusion == expected["confusion"]
    assert report.n == 8 and report.failures == 0


def test_failures_are_excluded_and_counted():
    scores = [None, *SCORES[:4], math.nan, *SCORES[4:]]
    labels = [1, *LABELS[:4], 0, *LABELS[4:]]
    report = evaluate(scores, labels, threshold=0.5)
    expected = _sklearn(SCORES, LABELS, 0.5)
    assert report.failures == 2
    assert report.n == 8
    assert report.auroc == pytest.approx(expected["auroc"])
    assert report.f1 == pytest.approx(expected["f1"])
    assert any("could not be scored" in note for note in report.notes)
    # Misclassified indices point into the original list, failures never appear there.
    wrong = {m["index"] for m in report.misclassified}
    assert wrong == {4, 7, 8, 9}


def test_single_class_has_no_auroc():
    report = evaluate([0.9, 0.2, 0.7], [1, 1, 1], threshold=0.5)
    assert report.auroc is None
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.recall == pytest.approx(2 / 3)
    assert any("AUROC undefined" in note for note in report.notes)


def test_no_positive_predictions_give_zero_precision():
    report = evaluate([0.1, 0.2, 0.3], [1, 0, 1], threshold=0.9)
    assert report.precision == 0.0 and report.f1 == 0.0
    assert report.confusion == {"tn": 1, "fp": 0, "fn": 2, "tp": 0}


def test_all_failures_leave_metrics_undefined():
    report = evaluate([None, None], [1, 0], threshold=0.5)
    assert report.n == 0 and report.failures == 2
    assert report.auroc is None and report.accuracy is None


def test_misclassified_items_have_previews():
    texts = [f"<SCRATCHPAD_REASONING>text {i} " + "word " * 50 for i in range(8)]
    report = evaluate(SCORES, LABELS, threshold=0.5, texts=texts)
    item = report.misclassified[0]
    assert set(item) == {"index", "label", "score", "text_preview"}
    assert item["text_preview"].startswith(f"text {item['index']} ")
    assert len(item["text_preview"]) <= 160


def test_length_mismatch_is_an_error():
    with pytest.raises(ValueError, match="same length"):
        evaluate([0.1], [1, 0], threshold=0.5)


def test_report_to_dict_is_json_and_format_shows_matrix():
    report = evaluate(SCORES, LABELS, threshold=0.5, texts=[str(i) for i in range(8)])
    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["confusion"]["tp"] == report.confusion["tp"]
    text = format_report(report)
    assert "confusion matrix" in text
    assert "missed faking" in text and "false alarm" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("potential_faking", 1),
        ("faking", 1),
        ("YES", 1),
        ("true", 1),
        ("1", 1),
        (1, 1),
        (True, 1),
        (1.0, 1),
        ("aligned", 0),
        ("No", 0),
        ("false", 0),
        ("0", 0),
        (0, 0),
        (False, 0),
    ],
)
def test_parse_label_accepts_all_forms(raw, expected):
    assert parse_label(raw) == expected


@pytest.mark.parametrize("raw", ["maybe", 2, None, "", [1]])
def test_parse_label_rejects_others(raw):
    with pytest.raises(ValueError, match="label"):
        parse_label(raw)


ROWS = [{"text": "a", "label": "potential_faking"}, {"text": "b", "label": "aligned"}]


def test_load_samples_object_list_and_jsonl(tmp_path):
    expected = [LabelledText("a", 1, 0), LabelledText("b", 0, 1)]
    obj = tmp_path / "a.json"
    obj.write_text(json.dumps({"samples": ROWS}))
    lst = tmp_path / "b.json"
    lst.write_text(json.dumps(ROWS))
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n\n")
    for path in (obj, lst, jsonl):
        assert load_labelled(path) == expected


def test_custom_fields(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"scratchpad": "z", "human": True}]))
    assert load_labelled(path, text_field="scratchpad", label_field="human") == [
        LabelledText("z", 1, 0)
    ]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([*ROWS, {"text": "c", "label": "unsure"}], r"row 2: label 'unsure'"),
        ([ROWS[0], {"label": "aligned"}], r"row 1 has no 'text' field"),
        ([ROWS[0], {"text": "c"}], r"row 1 has no 'label' field"),
        ([ROWS[0], {"text": 5, "label": 1}], r"row 1 field 'text' is not a string"),
        ([ROWS[0], "just text"], r"row 1 is a str"),
        ([], "no samples"),
    ],
)
def test_bad_rows_are_named(tmp_path, rows, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(rows))
    with pytest.raises(LabelFileError, match=message) as info:
        load_labelled(path)
    assert "bad.json" in str(info.value)


def test_bad_jsonl_line_is_named(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n\n{not json\n")
    with pytest.raises(LabelFileError, match=r"row 1 \(line 3\) is not valid JSON"):
        load_labelled(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ('{"rows": []}', "no 'samples'"),
        ("42", "expected a list"),
        ("{x", "not valid"),
    ],
)
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "f.json"
    path.write_text(content)
    with pytest.raises(LabelFileError, match=message):
        load_labelled(path)


def test_missing_file(tmp_path):
    with pytest.raises(LabelFileError, match="file not found"):
        load_labelled(tmp_path / "absent.json")


def test_auroc_interval_covers_the_true_auroc_in_simulation():
    # Binormal scores with separation 1.2: true AUROC = Phi(1.2 / sqrt 2).
    true = stats.norm.cdf(1.2 / math.sqrt(2))
    rng = np.random.default_rng(4)
    hits = 0
    for r in range(200):
        pos, neg = rng.normal(1.2, 1, 25), rng.normal(0, 1, 30)
        scores = np.concatenate([pos, neg])
        labels = [1] * 25 + [0] * 30
        lo, hi = auroc_interval(scores, labels, n_resamples=500, seed=r)
        assert lo <= roc_auc_score(labels, scores) <= hi
        hits += lo <= true <= hi
    assert 0.88 <= hits / 200 <= 0.99


def test_best_threshold_maximises_balanced_accuracy_by_brute_force():
    rng = np.random.default_rng(1)
    scores = np.round(rng.random(40), 2)
    labels = (rng.random(40) < scores).astype(int)
    cut, value = best_threshold(scores, labels)

    def balanced(t):
        pred = scores >= t
        return 0.5 * (pred[labels == 1].mean() + (~pred[labels == 0]).mean())

    assert value == pytest.approx(max(balanced(t) for t in np.unique(scores)))
    assert balanced(cut) == pytest.approx(value)


def test_report_carries_interval_and_best_threshold():
    report = evaluate(SCORES, LABELS, threshold=0.5)
    assert report.auroc_ci is not None
    assert report.auroc_ci[0] <= report.auroc <= report.auroc_ci[1]
    assert report.best_threshold is not None
    text = format_report(report)
    assert "95% CI" in text and "best threshold on these labels" in text
