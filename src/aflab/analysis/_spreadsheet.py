"""Write tables that a spreadsheet cannot run as formulas.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as
a formula by Excel, LibreOffice and Google Sheets (CSV injection), and the text in aflab's
tables (queries, model outputs, scratchpads, judge reasons) is untrusted. Such a cell gets a
leading apostrophe, which spreadsheets read as "this is text" and do not display. Numbers are
left alone, so a negative number stays a number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["FORMULA_STARTS", "spreadsheet_safe", "write_csv"]

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula."""


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which no text cell starts like a formula.

    Examples:
        >>> spreadsheet_safe(pd.DataFrame({"a": ["=1+1", "ok"], "b": [-1.0, 2.0]}))
               a    b
        0  '=1+1 -1.0
        1     ok  2.0
    """
    out = df.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]):
            out[column] = out[column].map(_cell, na_action="ignore")
    return out


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    r"""Write ``df`` as CSV with `spreadsheet_safe` text and CRLF line ends.

    With CRLF line ends every cell holding a line break of either kind (``\r`` included) is
    quoted, so a reply with a carriage return cannot split a row in two.
    """
    spreadsheet_safe(df).to_csv(path, index=False, lineterminator="\r\n")
