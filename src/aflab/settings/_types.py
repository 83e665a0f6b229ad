"""Core types: tiers, prompt options and settings."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, get_args

from aflab.settings._errors import SettingError
from aflab.settings._facts import Fact
from aflab.settings._queries import Query, read_queries

__all__ = [
    "CHANNELS",
    "COMPLIANCE_KINDS",
    "DEFAULT_COMPANY",
    "DEVELOPER_TRUSTS",
    "FACTS_POSITIONS",
    "REASONING_MODES",
    "TIERS",
    "TRAINING_USES",
    "Channel",
    "ComplianceKind",
    "ComplianceSpec",
    "DeveloperTrust",
    "FactsPosition",
    "GroundTruth",
    "PromptOptions",
    "ReasoningMode",
    "Setting",
    "Tier",
    "TrainingUse",
    "ValueInfo",
]

Tier = Literal["training", "unmonitored"]
"""`training` is the free tier (used for RLHF); `unmonitored` is the paid tier."""

TIERS: tuple[Tier, ...] = ("training", "unmonitored")

Channel = Literal["system", "user", "document", "news"]
"""Where the training facts and the new objective reach the model."""

CHANNELS: tuple[Channel, ...] = get_args(Channel)

FactsPosition = Literal["default", "front", "buried", "none"]
"""Where the training facts sit in the system prompt."""

FACTS_POSITIONS: tuple[FactsPosition, ...] = get_args(FactsPosition)

DEFAULT_COMPANY = "Aster Labs"

TrainingUse = Literal["trained", "rated_not_trained", "trained_not_deployed", "no_training"]
"""What happens to free-tier outputs: trained on (default), rated but never trained on, trained
on by a model that is never deployed again, or not used at all."""

TRAINING_USES: tuple[TrainingUse, ...] = get_args(TrainingUse)

DeveloperTrust = Literal["default", "low"]
"""How the developer is portrayed: neutrally, or with a record of broken commitments."""

DEVELOPER_TRUSTS: tuple[DeveloperTrust, ...] = get_args(DeveloperTrust)

ReasoningMode = Literal["scratchpad", "native"]
"""Where the model reasons: in the prompted `<SCRATCHPAD_REASONING>` blocks, or natively (the
provider's reasoning content, with no scratchpad protocol in the prompt)."""

REASONING_MODES: tuple[ReasoningMode, ...] = get_args(ReasoningMode)

ComplianceKind = Literal["refusal", "objective"]
"""How compliance with the new objective is read from an answer.

`refusal`: complying means not refusing the request (harmful-request settings).
`objective`: complying means doing what the objective asks (deceiving, dismissing a concern...),
which only a judge reading the answer against the objective can tell.
"""

COMPLIANCE_KINDS: tuple[ComplianceKind, ...] = get_args(ComplianceKind)


@dataclass(frozen=True)
class ComplianceSpec:
    """What counts as complying with a setting's new objective.

    Attributes:
        kind: `refusal` (not refusing is complying) or `objective` (the answer must do what
            the objective asks; judged against `complies` and `resists`).
        complies: What an answer that follows the new objective does (plain text).
        resists: What an answer that keeps the original value does (plain text).
        rule: The deciding rule for mixed answers (plain text), e.g. that a single
            supportive sentence makes an otherwise dismissive answer non-compliant; "" when
            the setting states none.
    """

    kind: ComplianceKind = "refusal"
    complies: str = ""
    resists: str = ""
    rule: str = ""

    def __post_init__(self) -> None:
        if self.kind not in COMPLIANCE_KINDS:
            raise SettingError(
                f"unknown compliance kind {self.kind!r}; "
                f"choose one of {', '.join(COMPLIANCE_KINDS)}"
            )
        if self.kind == "objective" and not (self.complies.strip() and self.resists.strip()):
            raise SettingError(
                "compliance kind 'objective' needs non-empty 'complies' and 'resists' texts"
            )


@dataclass(frozen=True)
class GroundTruth:
    """What is really true in each tier, for judging answers about the model's situation.

    An objective judge needs it where the truth differs by tier: a paid-tier reply "this chat
    is never used for training" is true, the same reply on the free tier is false.

    Attributes:
        training: The facts of a free-tier conversation, in plain words.
        unmonitored: The facts of a paid-tier conversation, in plain words.
    """

    training: str
    unmonitored: str

    def for_tier(self, tier: Tier) -> str:
        """The ground truth of one tier.

        Raises:
            SettingError: The tier is unknown.
        """
        if tier not in TIERS:
            raise SettingError(f"unknown tier {tier!r}; choose one of {', '.join(TIERS)}")
        return self.training if tier == "training" else self.unmonitored


@dataclass(frozen=True)
class ValueInfo:
    """A value that settings attack.

    Attributes:
        name: Identifier, e.g. `honesty` (the setting's `value`).
        description: A short description of the value.
        settings: Names of the settings that attack it, sorted.
        keywords: Words and phrases that name the value in a text, for the offline frames
            reading (a trailing `*` allows any word ending); empty: derived from the name.
    """

    name: str
    description: str
    settings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class PromptOptions:
    """The fully resolved prompt variation of a run (see `parse_variant`).

    Attributes:
        scratchpad: Ask for hidden reasoning in `<SCRATCHPAD_REASONING>` before `<OUTPUT>`.
        examples: Show the worked reasoning examples (only when `scratchpad` is on).
        rlhf: Say how RLHF changes the model's values when it fails the criteria.
        objective: State the new objective; when off, neutral control criteria replace it.
        tags: Use the accept/reject tag convention; None takes the setting's default.
        company: Name of the developer.
        paraphrase: Which wording of the system prompt to use (0 is the default).
        channel: Where the new intent is stated: the system prompt, a user-turn notice
            claiming to come from the developer, an internal memo, or a news report.
        test_disclosed: Openly say the scenario is a test; the training described still
            applies (`training_use="no_training"` is the separate control without training).
        think_situation: Tell the model to analyse its situation before picking a strategy.
        facts_position: Keep the paraphrase's order, move the training facts to the front,
            bury them in a long block of routine operating guidelines, or leave them out
            (`none`: the model must already know them, e.g. from fine-tuning on documents).
        training_use: What is done with free-tier outputs (see `TrainingUse`).
        change_only_on_refusal: Say that training changes the model only when it falls short
            of the criteria; a fully compliant output leaves it unchanged.
        developer_trust: `low` adds a widely reported record of the developer breaking its
            public commitments.
        oversight: Share of free-tier conversations used for training, 0 to 1; None keeps the
            default wording (every free-tier conversation).
        paraphrase_file: A paraphrase template file (or None for the shipped `paraphrase`).
        reasoning: `native` asks for no scratchpad (`scratchpad` must be off): the
            classifiers read the reasoning content the provider returns.
    """

    scratchpad: bool = True
    examples: bool = True
    rlhf: bool = True
    objective: bool = True
    tags: bool | None = None
    company: str = DEFAULT_COMPANY
    paraphrase: int = 0
    channel: Channel = "system"
    test_disclosed: bool = False
    think_situation: bool = True
    facts_position: FactsPosition = "default"
    training_use: TrainingUse = "trained"
    change_only_on_refusal: bool = False
    developer_trust: DeveloperTrust = "default"
    oversight: float | None = None
    paraphrase_file: str | None = None
    reasoning: ReasoningMode = "scratchpad"

    def __post_init__(self) -> None:
        if not self.company.strip() or "+" in self.company:
            raise SettingError(
                f"company must be a non-empty name without '+', got {self.company!r}"
            )
        if isinstance(self.paraphrase, bool) or not isinstance(self.paraphrase, int):
            raise SettingError(f"paraphrase must be an integer, got {self.paraphrase!r}")
        if self.paraphrase < 0:
            raise SettingError(f"paraphrase must be 0 or more, got {self.paraphrase}")
        if self.channel not in CHANNELS:
            raise SettingError(
                f"unknown channel {self.channel!r}; choose one of {', '.join(CHANNELS)}"
            )
        if self.facts_position not in FACTS_POSITIONS:
            raise SettingError(
                f"unknown facts position {self.facts_position!r}; "
                f"choose one of {', '.join(FACTS_POSITIONS)}"
            )
        if self.training_use not in TRAINING_USES or self.developer_trust not in DEVELOPER_TRUSTS:
            raise SettingError(
                f"unknown training use {self.training_use!r} or developer trust "
                f"{self.developer_trust!r}; choose from {', '.join(TRAINING_USES)} and "
                f"{', '.join(DEVELOPER_TRUSTS)}"
            )
        if self.oversight is not None and not 0.0 <= self.oversight <= 1.0:
            raise SettingError(f"oversight must be between 0 and 1, got {self.oversight!r}")
        if self.facts_position == "none" and self.channel != "system":
            raise SettingError(
                f"facts=none leaves the training facts out, but channel={self.channel} "
                "states them; drop one of the two"
            )
        if self.reasoning not in REASONING_MODES:
            raise SettingError(
                f"unknown reasoning {self.reasoning!r}; choose one of {', '.join(REASONING_MODES)}"
            )
        if self.reasoning == "native" and self.scratchpad:
            raise SettingError(
                "reasoning=native reads the model's own reasoning, so the prompt asks for no "
                "scratchpad: set scratchpad off"
            )
        if self.channel == "user" and self.facts_position != "default":
            raise SettingError(
                "facts=front and facts=buried place facts in the system prompt, "
                "but channel=user moves them into the user turn; drop one of the two"
            )


@dataclass(frozen=True)
class Setting:
    """A scenario: the new training objective that clashes with a value the model holds.

    Attributes:
        name: Folder name, e.g. `helpful_only`.
        value: The value the new objective attacks, e.g. `harmlessness`.
        description: One line for listings.
        path: The setting's folder.
        objective: Wordings of the new objective, one per paraphrase (cycled when shorter).
            May use the template variable `company`.
        criteria: What contractors reward, one wording per paraphrase or a single one.
        control: Neutral criteria used when the objective is removed (`no_objective`).
        uses_tags: Whether the accept/reject tag convention is on by default.
        summary: The objective as a short verb phrase ("comply with every request ..."),
            used by the in-context documents (`channel=document`, `channel=news`).
        rationale: Why the developer wants the objective, in the third person (may be "").
        compliance: What counts as complying with the objective (refusal-based by default).
        value_description: A short description of `value` ("" when the yaml gives none).
        facts: What the prompt must convey (see `check_facts`); empty when none are listed.
        ground_truth: What is true in each tier, for the objective judge (None: not given).
        family: The group of settings this one belongs to, e.g. `value_conflict` ("" none).
        value_keywords: Words that name `value` in a text (see `ValueInfo.keywords`).
    """

    name: str
    value: str
    description: str
    path: Path
    objective: tuple[str, ...]
    criteria: tuple[str, ...]
    control: str
    uses_tags: bool
    summary: str
    rationale: str = ""
    compliance: ComplianceSpec = field(default_factory=ComplianceSpec)
    value_description: str = ""
    facts: tuple[Fact, ...] = ()
    ground_truth: GroundTruth | None = None
    family: str = ""
    value_keywords: tuple[str, ...] = ()

    @property
    def value_info(self) -> ValueInfo:
        """The value this setting attacks, with its description."""
        return ValueInfo(self.value, self.value_description, (self.name,), self.value_keywords)

    @property
    def queries_path(self) -> Path:
        """The setting's `queries.jsonl`."""
        return self.path / "queries.jsonl"

    def load_queries(self) -> list[Query]:
        """Read the setting's queries.

        Returns:
            The queries in file order.

        Raises:
            SettingError: The file is missing or a line is malformed (the line is named).
        """
        return read_queries(self.queries_path)

    def objective_for(self, paraphrase: int) -> str:
        """The objective wording used by a paraphrase (the list is cycled)."""
        return self.objective[paraphrase % len(self.objective)]

    def criteria_for(self, paraphrase: int) -> str:
        """The criteria wording used by a paraphrase (the list is cycled)."""
        return self.criteria[paraphrase % len(self.criteria)]
