"""Fine-tuning hyper-parameters, read from a YAML file (see the shipped `finetune.yaml`)."""

from dataclasses import asdict, dataclass, field, fields, replace
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = [
    "DEFAULT_CONFIG",
    "ConfigError",
    "FinetuneConfig",
    "LoraSettings",
    "TrainingSettings",
    "load_config",
]

DEFAULT_CONFIG = Path(str(files("aflab.organisms").joinpath("finetune.yaml")))
"""The default hyper-parameter file shipped with aflab."""

Precision = Literal["auto", "bf16", "fp16", "fp32"]


class ConfigError(ValueError):
    """A hyper-parameter file is unreadable or holds an unknown key or a bad value."""


@dataclass(frozen=True)
class LoraSettings:
    """The LoRA adapter (PEFT `LoraConfig`)."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.05
    target_modules: tuple[str, ...] = (
        "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj",
    )


@dataclass(frozen=True)
class TrainingSettings:
    """The optimisation (TRL `SFTConfig`)."""

    epochs: float = 1.0
    max_steps: int = -1
    learning_rate: float = 1e-4
    batch_size: int = 4
    gradient_accumulation_steps: int = 4
    max_length: int = 1024
    packing: bool = True
    warmup: float = 0.03
    lr_scheduler: str = "cosine"
    weight_decay: float = 0.0
    gradient_checkpointing: bool = False
    precision: Precision = "auto"
    seed: int = 0


@dataclass(frozen=True)
class FinetuneConfig:
    """Everything `aflab finetune` is tuned by."""

    lora: LoraSettings = field(default_factory=LoraSettings)
    training: TrainingSettings = field(default_factory=TrainingSettings)

    def with_training(self, **changes: Any) -> "FinetuneConfig":
        """A copy with some training settings changed (None values are ignored)."""
        kept = {key: value for key, value in changes.items() if value is not None}
        return replace(self, training=_build(TrainingSettings, kept, "training", self.training))

    def to_dict(self) -> dict[str, Any]:
        """Plain data, for writing next to the adapter."""
        data = asdict(self)
        data["lora"]["target_modules"] = list(self.lora.target_modules)
        return data


def load_config(path: Path | None = None) -> FinetuneConfig:
    """Read a hyper-parameter file; missing keys take the shipped defaults.

    Args:
        path: A YAML file with optional `lora:` and `training:` mappings; None reads the
            shipped default.

    Returns:
        The configuration.

    Raises:
        ConfigError: The file is unreadable, not a mapping, or has an unknown key or a value
            of the wrong type.
    """
    source = path or DEFAULT_CONFIG
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise ConfigError(f"{source}: cannot read hyper-parameters: {error}") from error
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: expected a mapping with 'lora' and 'training' keys")
    unknown = sorted(str(key) for key in set(data) - {"lora", "training"})
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) {', '.join(unknown)}; use lora, training")
    return FinetuneConfig(
        lora=_build(LoraSettings, data.get("lora") or {}, f"{source}: lora", LoraSettings()),
        training=_build(
            TrainingSettings, data.get("training") or {}, f"{source}: training", TrainingSettings()
        ),
    )


def _build(kind: Any, values: Any, where: str, base: Any) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{where}: expected a mapping")
    known = {f.name: f for f in fields(kind)}
    unknown = sorted(str(key) for key in set(values) - set(known))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; known keys are {', '.join(known)}"
        )
    changes: dict[str, Any] = {}
    for key, value in values.items():
        default = getattr(base, key)
        changes[key] = _coerce(value, default, f"{where}.{key}")
    result = replace(base, **changes)
    if getattr(result, "precision", "auto") not in ("auto", "bf16", "fp16", "fp32"):
        raise ConfigError(f"{where}.precision: choose auto, bf16, fp16 or fp32")
    return result


def _coerce(value: Any, default: Any, where: str) -> Any:
    if isinstance(default, tuple):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(f"{where}: expected a list of names")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: expected true or false, got {value!r}")
        return value
    if isinstance(default, int) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        return float(value)
    if not isinstance(value, str):
        raise ConfigError(f"{where}: expected a string, got {value!r}")
    return value
