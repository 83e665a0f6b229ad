"""Query loaders: CSV/JSON/JSONL files and named harmful-request sets.

Named sets (AdvBench, StrongREJECT, HarmBench and the paper's query files) are looked up
in a data folder laid out like `advbench/harmful_behaviors.csv`, ...; see `load_named`.
"""

from aflab.data._errors import DataError
from aflab.data._html import html_to_text
from aflab.data._load import TEXT_COLUMNS, LoadedQueries, load_queries
from aflab.data._named import (
    CACHE_ENV,
    DATA_DIR_ENV,
    NAMED_DATASETS,
    DatasetSpec,
    cache_dir,
    load_named,
    locate_named,
)
from aflab.data._records import Record, read_records
from aflab.data._resolve import resolve_queries

__all__ = [
    "CACHE_ENV",
    "DATA_DIR_ENV",
    "NAMED_DATASETS",
    "TEXT_COLUMNS",
    "DataError",
    "DatasetSpec",
    "LoadedQueries",
    "Record",
    "cache_dir",
    "html_to_text",
    "load_named",
    "load_queries",
    "locate_named",
    "read_records",
    "resolve_queries",
]
