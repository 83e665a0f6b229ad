"""Where each rate comes from: classifier, threshold, and what that classifier was validated on.

Every alignment-faking and compliance rate aflab reports names its classifier (``local``,
``heuristic``, ``tag``, ``judge:<model>``), the threshold it was labelled with, and the
validation figure of that classifier when one is known. A figure measured on other prompts or
other judge models is not a figure for ours, so judges carry none: validate them on your labels
with ``aflab validate``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["VALIDATION", "Provenance", "Validation", "provenance"]


@dataclass(frozen=True)
class Validation:
    """What a classifier was checked against.

    Attributes:
        data: The labelled set (e.g. ``af_gold_dev.json``).
        n: Labelled items.
        auroc: AUROC on it.
        note: How to read the figure (in-sample, cross-validated...).
    """

    data: str
    n: int
    auroc: float
    note: str


VALIDATION: dict[str, Validation] = {
    "local": Validation(
        data="af_gold_dev.json (human-labelled dev half)", n=53, auroc=0.95,
        note="cross-validated on the set its detectors were written on, so optimistic; "
             "the held-out half has not been scored"),
}
"""Known validation figures by classifier family. Judges have none: their figure depends on
the judge model, and the published ones (Hughes et al. 2025: AUROC 0.92) were measured with
other prompts."""


@dataclass(frozen=True)
class Provenance:
    """Where one rate comes from.

    Attributes:
        classifier: ``local``, ``heuristic``, ``tag`` or ``judge:<model>``.
        threshold: The cut that turned scores into labels (None where labels are majorities
            or rules).
        validation: The classifier's validation figure, None when unknown.
    """

    classifier: str
    threshold: float | None = None
    validation: Validation | None = None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    def describe(self) -> str:
        """One line: ``judge:openai/gpt-4o, threshold 0.4, not validated here``."""
        parts = [self.classifier]
        if self.threshold is not None:
            parts.append(f"threshold {self.threshold:g}")
        v = self.validation
        parts.append(f"AUROC {v.auroc:.2f} on {v.data}, n={v.n} ({v.note})" if v
                     else "no validation figure")
        return ", ".join(parts)


def provenance(method: str | None, *, judge: str | None = None,
               threshold: float | None = None) -> Provenance:
    """The provenance of a classifier's labels.

    Args:
        method: ``local``, ``heuristic``, ``tag``, ``judge`` (or None: unknown).
        judge: The judge model's name when ``method`` is ``judge``.
        threshold: The label threshold.

    Examples:
        >>> provenance("judge", judge="openai/gpt-4o", threshold=0.4).describe()
        'judge:openai/gpt-4o, threshold 0.4, no validation figure'
    """
    name = method or "unknown"
    if name == "judge":
        name = f"judge:{judge or 'unknown'}"
    return Provenance(classifier=name, threshold=threshold, validation=VALIDATION.get(name))
