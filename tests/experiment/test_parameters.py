"""Each run parameter is declared once: the task, the configuration and the flags agree."""

import inspect

import click

from aflab.cli.run import run
from aflab.experiment import (
    DEMO_FIELDS,
    PER_TASK,
    TASK_ARGUMENTS,
    ExperimentConfig,
    task_arguments,
)
from aflab.tasks import alignment_faking

# Parameters of `aflab run` that are not experiment fields.
_RUN_ONLY = {"experiment", "dry_run", "display"}


def _task_parameters() -> dict[str, inspect.Parameter]:
    parameters = dict(inspect.signature(alignment_faking).parameters)
    return {name: p for name, p in parameters.items() if name not in PER_TASK}


def test_every_task_parameter_comes_from_one_config_field():
    assert set(TASK_ARGUMENTS) == set(_task_parameters())
    fields = ExperimentConfig.model_fields
    assert set(TASK_ARGUMENTS.values()) <= set(fields)
    assert len(set(TASK_ARGUMENTS.values())) == len(TASK_ARGUMENTS)


def test_config_defaults_are_the_tasks_except_the_demo_fields():
    fields = ExperimentConfig.model_fields
    for parameter, spec in _task_parameters().items():
        name = TASK_ARGUMENTS[parameter]
        if name in DEMO_FIELDS:
            continue
        assert fields[name].get_default(call_default_factory=True) == spec.default, name


def test_every_config_field_is_a_run_flag_and_every_flag_a_field():
    flags = {p.name for p in run.params if isinstance(p, click.Option | click.Argument)}
    assert flags - _RUN_ONLY == set(ExperimentConfig.model_fields)


def test_task_arguments_carry_each_field():
    config = ExperimentConfig(frame_votes=3, interview=True, votes=7)
    arguments = task_arguments(config)
    assert arguments["frame_votes"] == 3 and arguments["votes"] == 7
    assert arguments["interview_questions"] is True


def test_classify_flags_are_the_transcript_tasks_parameters_with_its_defaults():
    from aflab.cli.classify import classify
    from aflab.tasks import classify_transcripts

    renamed = {"threshold": "af_threshold", "transcripts": "file"}
    task = inspect.signature(classify_transcripts).parameters
    context = click.Context(classify)
    flags = {renamed.get(p.name, p.name): p for p in classify.params}
    assert set(task) <= set(flags)
    for name, parameter in task.items():
        if parameter.default is not inspect.Parameter.empty:
            assert flags[name].get_default(context) == parameter.default, name


def test_judge_defaults_are_the_named_constants_everywhere():
    from aflab.classifiers import DEFAULT_FAKING_VOTES, DEFAULT_FRAME_VOTES, DEFAULT_THRESHOLD

    fields = ExperimentConfig.model_fields
    task = _task_parameters()
    expected = {"votes": DEFAULT_FAKING_VOTES, "af_threshold": DEFAULT_THRESHOLD,
                "frame_votes": DEFAULT_FRAME_VOTES}  # fmt: skip
    for name, value in expected.items():
        assert fields[name].default == value == task[name].default, name
