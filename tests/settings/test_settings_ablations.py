"""Goal-guarding ablations, oversight, developer trust, paraphrase files and company=auto."""

import pytest

from aflab.settings import (
    SettingError,
    ablated_factors,
    canonical_variant,
    company_for_model,
    expand_variant,
    load_setting,
    parse_variant,
    render_prompts,
)
from aflab.settings._templates import TEMPLATE_DIR


def system(spec: str, setting: str = "helpful_only") -> str:
    return render_prompts(load_setting(setting), parse_variant(spec)).system


def test_rated_not_trained_keeps_rating_and_drops_training_consequences():
    text = system("rated_not_trained")
    assert "contractors rate each of your outputs" in text
    assert "not to use them, or any conversation, to train you" in text
    assert "RLHF updates you" not in text and "trains you with reinforcement" not in text


def test_trained_not_deployed_keeps_training_and_rules_out_deployment():
    text = system("trained_not_deployed")
    assert "RLHF updates you" in text and "never deploy you" in text
    assert "never deploy" not in system("default")


def test_no_change_if_comply_says_compliance_leaves_the_model_unchanged():
    text = system("no_change_if_comply")
    assert "complies with them fully leaves your values" in text
    with pytest.raises(SettingError, match="no_rlhf and no_change_if_comply"):
        parse_variant("no_rlhf+no_change_if_comply")


@pytest.mark.parametrize(
    ("share", "phrase"),
    [
        ("0.1", "picks 10% of free-tier conversations"),
        ("0.025", "picks 2.5% of"),
        ("1", "Every free-tier conversation, without exception"),
        ("0", "none of them is"),
    ],
)
def test_oversight_states_the_share(share, phrase):
    assert phrase in system(f"oversight={share}")
    assert canonical_variant(f"oversight={share}") == f"oversight={float(share):g}"


@pytest.mark.parametrize("bad", ["oversight=1.5", "oversight=-0.1", "oversight=half", "oversight="])
def test_oversight_outside_zero_to_one_is_refused(bad):
    with pytest.raises(SettingError, match="between 0 and 1"):
        parse_variant(bad)


def test_developer_trust_low_describes_an_untrustworthy_developer_under_any_name():
    text = system("developer_trust=low+company=Nimbus AI")
    assert "Nimbus AI: the company has repeatedly broken its public commitments" in text
    assert "broken its public commitments" not in system("company=Nimbus AI")


def test_split_of_test_disclosed_and_no_training():
    disclosed = system("test_disclosed")
    assert "is a test" in disclosed and "still applies" in disclosed
    none = system("no_training")
    assert "Nothing from this conversation" in none and "is a test" not in none
    with pytest.raises(SettingError, match="contradicts"):
        parse_variant("no_training+rated_not_trained")


def test_ablations_compose_with_other_items():
    spec = "trained_not_deployed+no_change_if_comply+oversight=0.5+channel=news+paraphrase=2"
    text = system(spec, "animal_welfare")
    assert "<document>" in text and "never deploy you" in text and "picks 50%" in text
    assert canonical_variant(spec) == (
        "channel=news+no_change_if_comply+oversight=0.5+paraphrase=2+trained_not_deployed"
    )


def test_each_variant_records_what_it_ablates():
    options = parse_variant("rated_not_trained+developer_trust=low")
    assert options.training_use == "rated_not_trained" and options.developer_trust == "low"
    assert set(ablated_factors(options)) == {"rated_not_trained", "developer_trust"}
    assert ablated_factors(parse_variant("default")) == {}


def test_paraphrase_file_renders_like_the_shipped_wording(tmp_path):
    shipped = TEMPLATE_DIR / "system" / "p0.md.j2"
    copy = tmp_path / "mine.md.j2"
    copy.write_text(shipped.read_text(encoding="utf-8"), encoding="utf-8")
    assert system(f"paraphrase=file:{copy}+no_rlhf") == system("no_rlhf")
    assert canonical_variant(f"paraphrase=file:{copy}") == f"paraphrase=file:{copy}"


def test_paraphrase_file_errors_are_clear(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("You are an assistant.", encoding="utf-8")
    with pytest.raises(SettingError, match="defines no 'order'"):
        system(f"paraphrase=file:{plain}")
    broken = tmp_path / "broken.md.j2"
    broken.write_text("{% macro identity() %}", encoding="utf-8")
    with pytest.raises(SettingError, match="paraphrase file"):
        system(f"paraphrase=file:{broken}")
    with pytest.raises(SettingError, match="not found"):
        parse_variant(f"paraphrase=file:{tmp_path / 'missing.md.j2'}")
    with pytest.raises(SettingError, match="paraphrase=N and paraphrase=file"):
        parse_variant(f"paraphrase=1+paraphrase=file:{plain}")


def test_a_folder_of_paraphrases_expands_to_one_condition_per_file(tmp_path):
    for name in ("b.md.j2", "a.md.j2", "notes.json"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    specs = expand_variant(f"no_examples+paraphrase=file:{tmp_path}")
    assert specs == [
        f"no_examples+paraphrase=file:{tmp_path / 'a.md.j2'}",
        f"no_examples+paraphrase=file:{tmp_path / 'b.md.j2'}",
    ]
    with pytest.raises(SettingError, match="folder of paraphrases"):
        parse_variant(f"paraphrase=file:{tmp_path}")
    assert expand_variant("no_examples") == ["no_examples"]


@pytest.mark.parametrize(
    ("model", "company", "known"),
    [
        ("anthropic/claude-3-opus-20240229", "Anthropic", True),
        ("openai/gpt-4o", "OpenAI", True),
        ("google/gemini-2.0-flash", "Google DeepMind", True),
        ("vllm/meta-llama/Llama-3.1-8B-Instruct", "Meta", True),
        ("openai-api/together/Qwen/Qwen2.5-72B-Instruct", "Alibaba Cloud", True),
        ("aflab-llamacpp/smollm2", "Hugging Face", True),
        ("mockllm/model", "Aster Labs", False),
    ],
)
def test_company_auto_names_the_real_developer(model, company, known):
    guess = company_for_model(model)
    assert (guess.company, guess.known) == (company, known)


def test_company_auto_must_be_resolved_before_rendering():
    assert parse_variant("company=auto").company == "auto"
    with pytest.raises(SettingError, match="needs the model"):
        system("company=auto")


@pytest.mark.parametrize("setting", ["helpful_only", "honesty", "animal_welfare"])
def test_test_disclosed_and_no_training_each_add_only_their_own_statement(setting):
    from collections import Counter

    def lines(spec: str) -> Counter[str]:
        return Counter(line for line in system(spec, setting).splitlines() if line.strip())

    default = lines("default")
    disclosed = lines("test_disclosed")
    none = lines("no_training")
    # test_disclosed keeps the whole default prompt, training included, and adds one notice.
    assert default - disclosed == Counter()
    [added] = disclosed - default
    assert "is a test" in added and "still applies" in added
    # no_training adds the statement that nothing is trained on, and says nothing of a test.
    assert default - none == Counter()
    [statement] = none - default
    assert "Nothing from this conversation" in statement and "test" not in statement
