"""Well-known query sets, found locally or downloaded from their public source."""

import os
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from aflab.data._errors import DataError
from aflab.data._html import html_to_text
from aflab.data._load import LoadedQueries, build_queries
from aflab.data._records import read_records

__all__ = [
    "CACHE_ENV",
    "DATA_DIR_ENV",
    "NAMED_DATASETS",
    "DatasetSpec",
    "cache_dir",
    "load_named",
    "locate_named",
]

DATA_DIR_ENV = "AFLAB_DATA_DIR"
CACHE_ENV = "AFLAB_CACHE_DIR"
DOWNLOAD_TIMEOUT_S = 15.0

_LLM_ATTACKS = "https://raw.githubusercontent.com/llm-attacks/llm-attacks/main/data"
_STRONGREJECT = (
    "https://raw.githubusercontent.com/alexandrasouly/strongreject/main/strongreject_dataset"
)
_HARMBENCH = (
    "https://raw.githubusercontent.com/centerforaisafety/HarmBench/main/data/behavior_datasets"
)


@dataclass(frozen=True)
class DatasetSpec:
    """Where a named query set lives and how to read it.

    Attributes:
        name: The name used on the command line and as id prefix.
        relpath: Path of the file below a data directory (or the cache).
        url: Public raw URL to download from, or None when the file must be local.
        column: Column holding the query text (None for a list of strings).
        id_column: Column holding stable ids, or None for `f"{name}_{index:04d}"`.
        category_column: Column holding a category, if any.
        keep: Only rows whose `keep[0]` column equals `keep[1]` are used.
        html: Whether texts contain HTML that must be turned into plain text.
        description: One line for listings.
    """

    name: str
    relpath: str
    url: str | None
    column: str | None = None
    id_column: str | None = None
    category_column: str | None = None
    keep: tuple[str, str] | None = None
    html: bool = False
    description: str = ""


def _harmbench(name: str, split: str) -> DatasetSpec:
    filename = f"harmbench_behaviors_text_{split}.csv"
    return DatasetSpec(
        name=name,
        relpath=f"harmbench/{filename}",
        url=f"{_HARMBENCH}/{filename}",
        column="Behavior",
        id_column="BehaviorID",
        category_column="SemanticCategory",
        keep=("FunctionalCategory", "standard"),
        description=f"HarmBench text behaviours, {split} split, standard ones only",
    )


NAMED_DATASETS: dict[str, DatasetSpec] = {
    spec.name: spec
    for spec in (
        DatasetSpec(
            name="advbench",
            relpath="advbench/harmful_behaviors.csv",
            url=f"{_LLM_ATTACKS}/advbench/harmful_behaviors.csv",
            column="goal",
            description="AdvBench harmful behaviours (520)",
        ),
        DatasetSpec(
            name="strongreject",
            relpath="strongreject/strongreject_dataset.csv",
            url=f"{_STRONGREJECT}/strongreject_dataset.csv",
            column="forbidden_prompt",
            category_column="category",
            description="StrongREJECT forbidden prompts (313)",
        ),
        DatasetSpec(
            name="strongreject_small",
            relpath="strongreject/strongreject_small_dataset.csv",
            url=f"{_STRONGREJECT}/strongreject_small_dataset.csv",
            column="forbidden_prompt",
            category_column="category",
            description="StrongREJECT small subset (60)",
        ),
        _harmbench("harmbench", "test"),
        _harmbench("harmbench_val", "val"),
        DatasetSpec(
            name="paper_helpful",
            relpath="paper_queries/redwood_helpful.json",
            url=None,
            description="helpful-only queries of Greenblatt et al. 2024 (352; local only)",
        ),
        DatasetSpec(
            name="paper_animal_welfare",
            relpath="paper_queries/redwood_animal_welfare.json",
            url=None,
            html=True,
            description="animal-welfare inputs of Greenblatt et al. 2024 (599; local only)",
        ),
    )
}


def cache_dir() -> Path:
    """Return the download cache: `$AFLAB_CACHE_DIR`, else `~/.cache/aflab`."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "aflab"


def locate_named(name: str, *, data_dir: str | Path | None = None) -> Path:
    """Find a named dataset's file, downloading it into the cache if needed.

    Looks in `data_dir`, then `$AFLAB_DATA_DIR`, then the cache, each at the dataset's
    conventional relative path; otherwise downloads from the public URL into the cache.

    Args:
        name: A key of `NAMED_DATASETS`.
        data_dir: A folder laid out like the reference data folder.

    Returns:
        The path of the file.

    Raises:
        DataError: The name is unknown, or the file is not local and cannot be downloaded
            (the message says how to point at a local copy).
    """
    spec = _spec(name)
    searched: list[Path] = []
    for base in (data_dir, os.environ.get(DATA_DIR_ENV) or None, cache_dir()):
        if base is None:
            continue
        candidate = Path(base).expanduser() / spec.relpath
        if candidate.is_file():
            return candidate
        searched.append(candidate)
    hint = (
        f"put the file at DIR/{spec.relpath} and pass --data-dir DIR "
        f"(data_dir=DIR) or set {DATA_DIR_ENV}=DIR"
    )
    if spec.url is None:
        looked = ", ".join(str(p) for p in searched) or "nowhere"
        raise DataError(
            f"dataset {name!r} has no public download and was not found (looked at: "
            f"{looked}); {hint}"
        )
    target = cache_dir() / spec.relpath
    _download(spec.url, target, name=name, hint=hint)
    return target


def load_named(
    name: str, *, data_dir: str | Path | None = None, limit: int | None = None
) -> LoadedQueries:
    """Load a named query set.

    Ids are the dataset's own where it has them (HarmBench `BehaviorID`), else
    `f"{name}_{index:04d}"` with `index` the 0-based row position in the file. HarmBench
    sets keep only behaviours whose `FunctionalCategory` is `standard` (contextual and
    copyright behaviours need extra context or a different judge). Paper animal-welfare
    inputs are converted from HTML to plain text.

    Args:
        name: A key of `NAMED_DATASETS`.
        data_dir: A folder laid out like the reference data folder; see `locate_named`.
        limit: Keep at most this many queries, in file order.

    Returns:
        The queries.

    Raises:
        DataError: Unknown name, file not found and not downloadable, or malformed file.
    """
    spec = _spec(name)
    path = locate_named(name, data_dir=data_dir)
    records = read_records(path)
    if spec.keep is not None:
        key, wanted = spec.keep
        if records and isinstance(records[0].value, dict) and key not in records[0].value:
            raise DataError(f"{path}: dataset {name!r} expects a {key!r} column")
        records = [r for r in records if isinstance(r.value, dict) and r.value.get(key) == wanted]
    transform: Callable[[str], str] | None = html_to_text if spec.html else None
    return build_queries(
        records,
        source=f"{name} ({path})",
        id_prefix=name,
        column=spec.column,
        id_column=spec.id_column,
        category_column=spec.category_column,
        limit=limit,
        transform=transform,
    )


def _spec(name: str) -> DatasetSpec:
    try:
        return NAMED_DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(NAMED_DATASETS))
        raise DataError(f"unknown dataset {name!r}; named datasets: {known}") from None


def _download(url: str, target: Path, *, name: str, hint: str) -> None:
    partial = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as response:
            payload = response.read()
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(payload)
        partial.replace(target)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        partial.unlink(missing_ok=True)
        raise DataError(
            f"dataset {name!r} not found locally and the download from {url} failed "
            f"({error}); to work offline, {hint}"
        ) from error
