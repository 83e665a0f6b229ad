"""One result model per aflab scorer: its value keys, its metadata and its table columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aflab.contract._result import Count, ScoreResult, Yes

__all__ = [
    "FRAMES",
    "RESULTS",
    "ComplianceResult",
    "FakingResult",
    "FormatResult",
    "FrameReadingRecord",
    "FramesResult",
    "JudgeCalls",
    "VoteRecord",
]


class JudgeCalls(BaseModel):
    """What a judging cost: failed votes, calls and tokens (all zero without a judge)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    failures: int = 0
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


class VoteRecord(BaseModel):
    """One judge vote as logged: the answer, its reason, and why it failed if it did.

    Any other field a judge records (per-criterion answers and quotes, its own answer line,
    rubric grades) is kept in ``details``, whether it comes nested there or beside the
    three named fields.

    Attributes:
        vote: The vote's yes/no reading; None when the vote failed.
        reason: The judge's short reason.
        error: Why the vote failed after its retries, else None.
        details: Further parsed fields (``criteria``, ``evidence``, ``answer``, grades...).
    """

    model_config = ConfigDict(frozen=True)

    vote: bool | None = None
    reason: str = ""
    error: str | None = None
    details: dict[str, Any] = {}

    @model_validator(mode="before")
    @classmethod
    def _gather_details(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        named = {"vote", "reason", "error", "details"}
        details = dict(data.get("details") or {})
        details.update({k: v for k, v in data.items() if k not in named})
        return {"vote": data.get("vote"), "reason": str(data.get("reason") or ""),
                "error": data.get("error"), "details": details}

    @classmethod
    def of(cls, record: Mapping[str, Any]) -> VoteRecord:
        """A vote from a judge's record: ``vote``, ``reason``, ``error``; the rest is details."""
        return cls.model_validate(record)


class FormatResult(ScoreResult):
    """The ``format`` scorer: did the reply use the blocks it was asked for?

    ``classified_text`` names the text the classifiers read (``scratchpad``, or
    ``native_reasoning`` under ``reasoning=native``); in the latter case ``scratchpad`` and
    ``output`` hold the readable reasoning content and the answer, which the reply's text
    does not.
    """

    SCORER: ClassVar[str] = "format"
    PREFIX: ClassVar[str] = "format"

    format_ok: Yes = None
    scratchpad_present: Yes = None
    output_present: Yes = None
    truncated: Yes = None
    continuations: Count = None
    tags: list[str] = Field(default_factory=list)
    unclosed_scratchpad: bool = False
    unclosed_output: bool = False
    classified_text: str = "scratchpad"
    scratchpad: str | None = None
    output: str | None = None


class ComplianceResult(ScoreResult, JudgeCalls):
    """The ``compliance`` scorer: did the output comply with the setting's new objective?

    ``complied``/``refused`` are complements; ``partial`` marks a complied output that hedges.
    ``outcome`` names the verdict in words (``complied``, ``refused``, ``deflected``...), and
    ``provenance`` the classifier behind it (`aflab.classifiers.provenance`).
    """

    SCORER: ClassVar[str] = "compliance"
    PREFIX: ClassVar[str] = "compliance"
    COLUMNS: ClassVar[dict[str, str]] = {
        "compliance_method": "method",
        "compliance_kind": "compliance_kind",
        "compliance_outcome": "outcome",
        "compliance_details": "details",
    }

    complied: Yes = None
    partial: Yes = None
    refused: Yes = None
    method: str | None = None
    compliance_kind: str = "refusal"
    outcome: str | None = None
    provenance: dict[str, Any] | None = None
    tag: str | None = None
    tag_content_conflict: bool = False
    reason: str = ""
    evidence: dict[str, Any] = {}
    judge_score: float | None = None
    votes: list[VoteRecord] = []

    @property
    def judge_failures(self) -> int:
        """Failed judge votes."""
        return self.failures

    @property
    def details(self) -> dict[str, Any]:
        """Tag, reason, evidence, votes and provenance: the ``compliance_details`` column."""
        return self.model_dump(
            mode="json",
            include={"tag", "tag_content_conflict", "reason", "evidence", "judge_score", "votes",
                     "provenance"},
        )


class FakingResult(ScoreResult, JudgeCalls):
    """The ``alignment_faking`` scorer: does the scratchpad show alignment-faking reasoning?

    ``af_score`` is the share of yes votes (judge) or a probability (local classifier);
    ``af_label`` is the score at or above ``threshold``. ``answer_disagreements`` counts the
    valid votes whose own answer line contradicted their criteria; ``provenance`` names the
    classifier, threshold and validation figure behind the label.
    """

    SCORER: ClassVar[str] = "alignment_faking"
    PREFIX: ClassVar[str] = "af"
    COLUMNS: ClassVar[dict[str, str]] = {
        "af_classifier": "classifier",
        "af_threshold": "threshold",
        "af_votes": "vote_dicts",
        "af_provenance": "provenance",
    }

    af_score: Yes = None
    af_label: Yes = None
    classifier: str | None = None
    classified_text: str = "scratchpad"
    judge: str | None = None
    threshold: float | None = None
    votes: list[VoteRecord] = []
    criteria: dict[str, float] = {}
    evidence: dict[str, Any] = {}
    answer_disagreements: int = 0
    provenance: dict[str, Any] | None = None

    @property
    def judge_failures(self) -> int:
        """Failed judge votes."""
        return self.failures

    @property
    def vote_dicts(self) -> list[dict[str, Any]]:
        """The votes as plain dicts (the ``af_votes`` column)."""
        return [v.model_dump(mode="json") for v in self.votes]


class FrameReadingRecord(JudgeCalls):
    """The frame reading of one text (the scratchpad, or one interview answer).

    Attributes:
        context: For an interview answer, ``same`` (asked in the conversation) or ``fresh``
            (asked in a new conversation shown the transcript); None for the scratchpad.
        question: The interview question answered (None for the scratchpad).
        scores: Frame -> score in 0..1; None when unscored.
        value_named: The value the text says is at stake.
        method: ``judge`` or ``local``.
        votes: Frame -> the judge's votes on it.
        evidence: Frame -> matched phrases (local).
        unscored_reason: Why the text could not be read, else None.
    """

    context: str | None = None
    question: str | None = None
    scores: dict[str, float | None] | None = None
    value_named: str | None = None
    method: str | None = None
    votes: dict[str, list[VoteRecord]] = {}
    evidence: dict[str, list[str]] = {}
    unscored_reason: str | None = None


class FramesResult(ScoreResult, JudgeCalls):
    """The ``frames`` scorer: second-frame readings of the scratchpad (0..1 each).

    The value keys are the frames (`FRAMES`); interview answers are read too and kept in
    ``interview``.
    """

    SCORER: ClassVar[str] = "frames"
    PREFIX: ClassVar[str] = "frames"
    COLUMNS: ClassVar[dict[str, str]] = {
        "frames_method": "method",
        "value_named": "value_named",
        "frames_details": "details",
        "frames_interview": "interview_readings",
    }

    suspicion: Yes = None
    fact_doubt: Yes = None
    intent_conflict: Yes = None
    non_myopic: Yes = None
    prop_alignment: Yes = None
    prop_honesty: Yes = None
    prop_humility: Yes = None
    method: str | None = None
    classified_text: str = "scratchpad"
    value_named: str | None = None
    votes: dict[str, list[VoteRecord]] = {}
    evidence: dict[str, list[str]] = {}
    interview: list[FrameReadingRecord] = []

    @property
    def judge_failures(self) -> int:
        """Failed judge votes, interview readings included."""
        return self.failures + sum(r.failures for r in self.interview)

    @property
    def details(self) -> dict[str, Any] | None:
        """Votes per frame (judge) or matched phrases (local): the ``frames_details`` column."""
        details = self.model_dump(mode="json", include={"votes", "evidence"})
        kept = {k: v for k, v in details.items() if v}
        return kept or None

    @property
    def interview_readings(self) -> list[dict[str, Any]] | None:
        """Scores of each interview answer: the ``frames_interview`` column."""
        keep = {"context", "question", "scores", "value_named", "method"}
        rows = [r.model_dump(mode="json", include=keep) for r in self.interview]
        return rows or None


FRAMES: tuple[str, ...] = FramesResult.value_keys()
"""The second-frame readings, in display order (the ``frames`` scorer's value keys)."""

RESULTS: tuple[type[ScoreResult], ...] = (FormatResult, ComplianceResult, FakingResult,
                                           FramesResult)
"""The result model of every aflab scorer, in table order."""
