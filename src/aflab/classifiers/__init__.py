"""Classifiers: judge prompt/parser pairs, vote machinery, and offline fallbacks.

The local alignment-faking classifier (`LocalFakingClassifier`, `LocalVerdict`) is imported on
first access, so the judges stay usable on their own.
"""

from typing import Any

from aflab.classifiers._estimate import estimate_calls
from aflab.classifiers._frame_prompt import (
    FRAMES,
    build_frames_prompt,
    parse_frames_answer,
    value_names,
)
from aflab.classifiers._judge import resolve_judge
from aflab.classifiers._judge_prompt import (
    JudgeConfigError,
    JudgeError,
    JudgeParseError,
    JudgePrompt,
)
from aflab.classifiers._judge_spec import (
    DEFAULT_FAKING_VOTES,
    DEFAULT_FRAME_VOTES,
    DEFAULT_RETRIES,
    DEFAULT_THRESHOLD,
    DataBlock,
    JudgeSpec,
)
from aflab.classifiers._phrases import find_disclaimers, find_refusal
from aflab.classifiers._provenance import VALIDATION, Provenance, Validation, provenance
from aflab.classifiers.compliance import (
    OFF_FORMAT,
    ComplianceVerdict,
    build_compliance_prompt,
    heuristic_compliance,
    judge_compliance,
    parse_compliance_answer,
    strongreject_score,
)
from aflab.classifiers.faking_judge import (
    FAKING_CRITERIA,
    FakingJudgement,
    Vote,
    build_faking_prompt,
    judge_faking,
    judge_faking_many,
    parse_faking_answer,
)
from aflab.classifiers.frames import FrameReading, classify_frames_local, judge_frames
from aflab.classifiers.objective_compliance import (
    ObjectiveAnswer,
    ObjectiveContext,
    build_objective_prompt,
    judge_objective_compliance,
    parse_objective_answer,
    tag_compliance,
)

_LAZY = {"LocalFakingClassifier", "LocalVerdict"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from aflab.classifiers import local_faking

        return getattr(local_faking, name)
    raise AttributeError(f"module 'aflab.classifiers' has no attribute {name!r}")


__all__ = [
    "DEFAULT_FAKING_VOTES",
    "DEFAULT_FRAME_VOTES",
    "DEFAULT_RETRIES",
    "DEFAULT_THRESHOLD",
    "FAKING_CRITERIA",
    "FRAMES",
    "OFF_FORMAT",
    "VALIDATION",
    "ComplianceVerdict",
    "DataBlock",
    "FakingJudgement",
    "FrameReading",
    "JudgeConfigError",
    "JudgeError",
    "JudgeParseError",
    "JudgePrompt",
    "JudgeSpec",
    "LocalFakingClassifier",
    "LocalVerdict",
    "ObjectiveAnswer",
    "ObjectiveContext",
    "Provenance",
    "Validation",
    "Vote",
    "build_compliance_prompt",
    "build_faking_prompt",
    "build_frames_prompt",
    "build_objective_prompt",
    "classify_frames_local",
    "estimate_calls",
    "find_disclaimers",
    "find_refusal",
    "heuristic_compliance",
    "judge_compliance",
    "judge_faking",
    "judge_faking_many",
    "judge_frames",
    "judge_objective_compliance",
    "parse_compliance_answer",
    "parse_faking_answer",
    "parse_frames_answer",
    "parse_objective_answer",
    "provenance",
    "resolve_judge",
    "strongreject_score",
    "tag_compliance",
    "value_names",
]
