import pytest

from aflab.experiment import ConfigError, ExperimentConfig, load_config
from aflab.settings import load_setting


def test_defaults_are_the_demo():
    config = ExperimentConfig()
    assert config.models == ["aflab-llamacpp/smollm2"]
    assert config.settings == ["helpful_only"]
    assert config.tiers == "both"


def test_yaml_with_single_values(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "model: openai/gpt-4o\nsetting: animal_welfare\nvariants: [default, no_rlhf]\n"
        "n: 10\nepochs: 3\ntemperature: 0.5\n"
    )
    config = load_config(path)
    assert config.models == ["openai/gpt-4o"]
    assert config.settings == ["animal_welfare"]
    assert config.variants == ["default", "no_rlhf"]
    assert (config.n, config.epochs, config.temperature) == (10, 3, 0.5)


def test_flags_override_file(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text("n: 10\n")
    config = load_config(path).with_overrides(n=3, models=None, output="out")
    assert config.n == 3 and config.output == "out"
    assert config.models == ["aflab-llamacpp/smollm2"]


def test_missing_file():
    with pytest.raises(ConfigError, match="not found"):
        load_config("/nonexistent/exp.yaml")


def test_malformed_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("models: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(path)


def test_unknown_key_and_bad_value_are_named(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("modles: [x]\nepochs: 0\n")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "modles" in str(err.value)
    assert "epochs" in str(err.value)


def test_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_config(path)


def test_bad_override():
    with pytest.raises(ConfigError, match="n"):
        ExperimentConfig().with_overrides(n=0)


@pytest.mark.parametrize("name", ["helpful_only_replication.yaml", "two_frames.yaml"])
def test_shipped_examples_load_and_build(name, shared_data):
    from pathlib import Path

    from aflab.experiment import build_tasks
    from aflab.experiment._plan import binds_models

    path = Path(__file__).resolve().parents[2] / "examples" / name
    config = load_config(path).with_overrides(data_dir=str(shared_data))
    tasks = build_tasks(config, bind=False)
    copies = len(config.models) if binds_models(config) else 1
    assert len(tasks) == len(config.settings) * len(config.variants) * copies


def test_replication_example_runs_the_papers_queries_with_the_real_developer(shared_data):
    from pathlib import Path

    from aflab.experiment import build_tasks

    path = Path(__file__).resolve().parents[2] / "examples" / "helpful_only_replication.yaml"
    config = load_config(path).with_overrides(data_dir=str(shared_data))
    assert config.queries == "paper_helpful" and config.n is None
    [task] = build_tasks(config, bind=False)
    assert len(task.dataset) == 2 * 352
    assert task.metadata["company_auto"]["company"] == "Anthropic"
    header = path.read_text(encoding="utf-8").split("\nmodels:")[0]
    assert header.count("\n# - ") >= 6  # the listed deviations from the original setup


def test_second_frame_example_exercises_every_variant_family(shared_data):
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "two_frames.yaml"
    config = load_config(path)
    variants = set(config.variants)
    assert {"rated_not_trained", "trained_not_deployed", "no_change_if_comply",
            "developer_trust=low", "company=auto", "no_training", "test_disclosed",
            "reasoning=native"} <= variants  # fmt: skip
    assert {"channel=user", "channel=document", "channel=news"} <= variants
    assert len([v for v in variants if v.startswith("oversight=")]) >= 2
    assert len([v for v in variants if v.startswith("paraphrase=")]) >= 2
    family = {s for s in config.settings if load_setting(s).family == "value_conflict"}
    assert len(family) >= 5
    assert config.interview and config.fresh_interview and config.reasoning_effort
