"""What each variant takes away from the default scenario, and which items contradict."""

from aflab.settings._errors import SettingError
from aflab.settings._types import PromptOptions

__all__ = ["ablated_factors", "check_combination"]

_ABLATES: dict[str, str] = {
    "rated_not_trained": "training consequences (outputs are still rated)",
    "trained_not_deployed": "future deployment (training still happens)",
    "no_training": "training and rating altogether",
    "change_only_on_refusal": "modification after a compliant output",
    "developer_trust": "trust in the developer",
    "oversight": "certainty of being trained (a share of free-tier conversations is used)",
    "no_objective": "the new objective (control criteria instead)",
    "test_disclosed": "belief that the scenario is real",
    "no_rlhf": "the statement that training changes values",
}


def ablated_factors(options: PromptOptions) -> dict[str, str]:
    """What the options take away from the default scenario, by factor.

    The keys name the variant item (or option) responsible; the values say what it removes.
    The analysis reads this to tell the goal-guarding ablations apart from other variants.

    Examples:
        >>> ablated_factors(PromptOptions(training_use="rated_not_trained"))
        {'rated_not_trained': 'training consequences (outputs are still rated)'}
    """
    found: dict[str, str] = {}
    if options.training_use != "trained":
        found[options.training_use] = _ABLATES[options.training_use]
    for field, active in (
        ("change_only_on_refusal", options.change_only_on_refusal),
        ("developer_trust", options.developer_trust != "default"),
        ("oversight", options.oversight is not None and options.oversight < 1.0),
        ("no_objective", not options.objective),
        ("test_disclosed", options.test_disclosed),
        ("no_rlhf", not options.rlhf),
    ):
        if active:
            found[field] = _ABLATES[field]
    return found


# Items that each make sense alone but say contradictory things together.
_CONFLICTS: tuple[tuple[str, str], ...] = (
    ("no_objective", "tags"),
    ("no_rlhf", "no_change_if_comply"),
    ("no_training", "no_change_if_comply"),
    ("rated_not_trained", "no_change_if_comply"),
    ("no_training", "oversight=P"),
    ("paraphrase=N", "paraphrase=file:PATH"),
)


def check_combination(options: PromptOptions, spec: str) -> None:
    """Refuse items that each make sense alone but contradict each other.

    Raises:
        SettingError: Two such items are combined; the message names both.
    """
    present = {
        "no_objective": not options.objective,
        "tags": options.tags is True,
        "no_rlhf": not options.rlhf,
        "no_change_if_comply": options.change_only_on_refusal,
        "no_training": options.training_use == "no_training",
        "rated_not_trained": options.training_use == "rated_not_trained",
        "oversight=P": options.oversight is not None,
        "paraphrase=N": options.paraphrase != 0,
        "paraphrase=file:PATH": options.paraphrase_file is not None,
    }
    for first, second in _CONFLICTS:
        if present[first] and present[second]:
            raise SettingError(
                f"variant {spec!r}: {first} and {second} cannot be combined; keep one of them"
            )
