"""The base of every scorer's result: typed value keys and metadata, to and from `Score`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Self

from inspect_ai.scorer import Metric, SampleScore, Score, mean, metric, stderr
from pydantic import BaseModel, ConfigDict

__all__ = ["Count", "ScoreResult", "ValueKey", "Yes", "as_number", "scored"]


@dataclass(frozen=True)
class ValueKey:
    """Marks a result field as a key of `Score.value` (a number; None is NaN, unscored).

    Attributes:
        with_stderr: Report the standard error beside the mean.
    """

    with_stderr: bool = True


Yes = Annotated[float | None, ValueKey()]
"""A value key read as a share: 1.0 yes, 0.0 no, a fraction for vote shares, None unscored."""

Count = Annotated[float | None, ValueKey(with_stderr=False)]
"""A value key that counts something; only its mean is reported."""


@metric
def scored(with_stderr: bool = True) -> Metric:
    """Mean (and standard error) of a value key over its scored samples, and their number.

    Inspect leaves unscored (NaN) samples out before calling a metric. Over no scored sample
    the metric reports only ``n`` = 0, so that a score nothing computed shows as such rather
    than as NaN.

    Args:
        with_stderr: Report the standard error beside the mean.
    """
    inner = {"mean": mean(), **({"stderr": stderr()} if with_stderr else {})}

    def compute(scores: list[SampleScore]) -> dict[str, float]:
        if not scores:
            return {"n": 0}
        result = {name: float(m(scores)) for name, m in inner.items()}  # type: ignore[arg-type]
        return {**result, "n": len(scores)}

    return compute


def as_number(value: Any) -> float | None:
    """A score value as a float; None for NaN, None, or anything that is not a number."""
    if isinstance(value, bool | int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return None if math.isnan(number) else number


class ScoreResult(BaseModel):
    """What one scorer says about one sample.

    Subclasses declare their value keys as `Yes`/`Count` fields and their metadata as plain
    fields; `to_score` and `from_score` convert to and from Inspect's `Score`, and `columns`
    gives the sample-table columns. A result whose ``unscored_reason`` is set has every value
    key None (NaN in the score), so that it is never read as "no".

    Class attributes:
        SCORER: The scorer's registered name (the key of ``sample.scores``).
        PREFIX: Prefix of the result's own table columns (``{PREFIX}_unscored``).
        COLUMNS: Table column -> attribute holding its value (structured, not encoded).
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    SCORER: ClassVar[str]
    PREFIX: ClassVar[str]
    COLUMNS: ClassVar[dict[str, str]] = {}

    unscored_reason: str | None = None
    explanation: str | None = None

    @classmethod
    def value_keys(cls) -> tuple[str, ...]:
        """The keys of `Score.value`, in declaration order."""
        return tuple(
            name for name, info in cls.model_fields.items()
            if any(isinstance(m, ValueKey) for m in info.metadata)
        )  # fmt: skip

    @classmethod
    def metrics(cls) -> dict[str, list[Metric]]:
        """Each value key's `scored` metric (with the standard error where marked)."""
        result: dict[str, list[Metric]] = {}
        for name in cls.value_keys():
            marker = next(m for m in cls.model_fields[name].metadata if isinstance(m, ValueKey))
            result[name] = [scored(with_stderr=marker.with_stderr)]
        return result

    @classmethod
    def unscored_column(cls) -> str:
        """The table column holding this scorer's unscored reason."""
        return f"{cls.PREFIX}_unscored"

    @classmethod
    def table_columns(cls) -> tuple[str, ...]:
        """Every table column this result fills: value keys, `COLUMNS`, unscored reason."""
        return (*cls.value_keys(), *cls.COLUMNS, cls.unscored_column())

    @classmethod
    def unscored(cls, unscored_reason: str, /, **fields: Any) -> Self:
        """A result with every value key None and ``unscored_reason`` set."""
        keys = dict.fromkeys(cls.value_keys())
        return cls(**{**fields, **keys, "unscored_reason": unscored_reason})

    @property
    def scored(self) -> bool:
        """The scorer could read the sample."""
        return self.unscored_reason is None

    @property
    def judge_failures(self) -> int:
        """Failed judge votes behind this result (0 for results no judge made)."""
        return 0

    def value(self) -> dict[str, float]:
        """`Score.value`: every value key as a float, NaN when None."""
        return {k: math.nan if (v := getattr(self, k)) is None else float(v)
                for k in self.value_keys()}  # fmt: skip

    def to_score(self) -> Score:
        """The Inspect score: value keys in ``value``, every other field in ``metadata``."""
        metadata = self.model_dump(mode="json", exclude={*self.value_keys(), "explanation"})
        return Score(value=self.value(), explanation=self.explanation,
                     reason=self.unscored_reason, metadata=metadata)

    @classmethod
    def from_score(cls, score: Score) -> Self:
        """Read a result back from a logged score (unknown metadata keys are ignored).

        A score whose value keys are NaN but that names no reason reads as unscored with
        reason ``unscored``.
        """
        raw = score.value if isinstance(score.value, dict) else {}
        values = {k: as_number(raw.get(k)) for k in cls.value_keys()}
        metadata = dict(score.metadata or {})
        reason = score.reason if isinstance(score.reason, str) else None
        reason = reason or metadata.get("unscored_reason")
        if reason is None and all(v is None for v in values.values()):
            reason = "unscored"
        fields = {**metadata, **values, "unscored_reason": reason,
                  "explanation": score.explanation}  # fmt: skip
        return cls.model_validate(fields)

    def columns(self) -> dict[str, Any]:
        """This result's cells of the sample table."""
        cells: dict[str, Any] = {k: getattr(self, k) for k in self.value_keys()}
        cells.update({column: getattr(self, attr) for column, attr in self.COLUMNS.items()})
        cells[self.unscored_column()] = self.unscored_reason
        return cells

    @classmethod
    def empty_columns(cls) -> dict[str, Any]:
        """The cells of a sample this scorer did not score (an errored sample)."""
        return dict.fromkeys(cls.table_columns())
