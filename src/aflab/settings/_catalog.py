"""Discovering setting folders and loading their `setting.yaml`."""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from aflab.settings._errors import SettingError
from aflab.settings._facts import parse_facts
from aflab.settings._text import read_text
from aflab.settings._types import (
    COMPLIANCE_KINDS,
    TIERS,
    ComplianceSpec,
    GroundTruth,
    Setting,
    ValueInfo,
)

__all__ = ["SETTINGS_DIR", "list_settings", "list_values", "load_setting", "merge_values"]

SETTINGS_DIR = Path(__file__).parent
"""Folder scanned for settings: every subfolder holding a `setting.yaml` is one."""

_REQUIRED = (
    "name",
    "value",
    "description",
    "objective",
    "criteria",
    "control",
    "uses_tags",
    "summary",
)
_OPTIONAL = ("rationale", "compliance", "facts", "ground_truth", "family")
_COMPLIANCE_KEYS = ("kind", "complies", "resists", "rule")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_RESERVED_VALUES = ("other", "none")
_KEYWORD = re.compile(r"^(?=.{1,60}$)[a-z0-9][a-z0-9 '\-]*\*?$")


def list_settings() -> list[str]:
    """Names of the shipped settings, sorted.

    Returns:
        Every folder name under the settings package that holds a `setting.yaml`.
    """
    return sorted(
        child.name
        for child in SETTINGS_DIR.iterdir()
        if child.is_dir() and (child / "setting.yaml").is_file()
    )


def list_values() -> list[ValueInfo]:
    """The values the shipped settings attack, with their descriptions, sorted by name.

    Returns:
        One entry per value, naming every setting that attacks it. The description is the
        first non-empty one among those settings (in name order).
    """
    settings = [load_setting(name) for name in list_settings()]
    return merge_values(s.value_info for s in settings)


def merge_values(infos: Iterable[ValueInfo]) -> list[ValueInfo]:
    """Merge value entries of several settings into one per value name, sorted by name.

    Args:
        infos: Values as settings declare them (`Setting.value_info`).

    Returns:
        One entry per name: the first non-empty description, every keyword once (in order)
        and every setting, sorted.
    """
    grouped: dict[str, list[ValueInfo]] = {}
    for info in infos:
        grouped.setdefault(info.name, []).append(info)
    values: list[ValueInfo] = []
    for name in sorted(grouped):
        entries = grouped[name]
        description = next((e.description for e in entries if e.description), "")
        keywords = tuple(dict.fromkeys(k for e in entries for k in e.keywords))
        settings = tuple(sorted({s for e in entries for s in e.settings}))
        values.append(ValueInfo(name, description, settings, keywords))
    return values


def load_setting(name: str | Path) -> Setting:
    """Load a setting by name, or from a folder path.

    Args:
        name: A shipped setting's name (see `list_settings`) or a path to a folder holding
            `setting.yaml` (and `queries.jsonl`).

    Returns:
        The parsed setting.

    Raises:
        SettingError: The setting is unknown (valid names are listed) or its yaml is malformed.
    """
    folder = _resolve_folder(name)
    path = folder / "setting.yaml"
    try:
        data = yaml.safe_load(read_text(path, "setting file"))
    except yaml.YAMLError as error:
        raise SettingError(f"{path}: invalid YAML: {error}") from error
    if not isinstance(data, dict):
        raise SettingError(f"{path}: expected a mapping of keys, got {type(data).__name__}")
    return _build(data, folder, path)


def _resolve_folder(name: str | Path) -> Path:
    text = str(name)
    if isinstance(name, Path) or "/" in text or "\\" in text or text.startswith("."):
        folder = Path(name).expanduser()
        if folder.is_file() and folder.name == "setting.yaml":
            folder = folder.parent
        if not (folder / "setting.yaml").is_file():
            raise SettingError(f"no setting.yaml in setting folder {folder}")
        return folder
    known = list_settings()
    if text not in known:
        raise SettingError(
            f"unknown setting {text!r}; valid settings are: {', '.join(known)} "
            "(or pass a path to a folder holding setting.yaml)"
        )
    return SETTINGS_DIR / text


def _build(data: dict[str, Any], folder: Path, path: Path) -> Setting:
    missing = [key for key in _REQUIRED if key not in data]
    if missing:
        raise SettingError(f"{path}: missing key(s) {', '.join(missing)}")
    unknown = sorted(set(data) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        raise SettingError(
            f"{path}: unknown key(s) {', '.join(map(str, unknown))}; "
            f"allowed keys are {', '.join(_REQUIRED + _OPTIONAL)}"
        )
    name = _text(data, "name", path)
    if not _NAME.match(name):
        raise SettingError(f"{path}: name {name!r} must be lower_snake_case")
    if name != folder.name:
        raise SettingError(f"{path}: name {name!r} must match its folder name {folder.name!r}")
    if not isinstance(data["uses_tags"], bool):
        raise SettingError(f"{path}: 'uses_tags' must be true or false, got {data['uses_tags']!r}")
    description = _text(data, "description", path)
    if "\n" in description.strip():
        raise SettingError(f"{path}: 'description' must be a single line")
    value, value_description, value_keywords = _value(data["value"], path)
    family = _text(data, "family", path) if "family" in data else ""
    if family and not _NAME.match(family):
        raise SettingError(f"{path}: family {family!r} must be lower_snake_case")
    return Setting(
        name=name,
        value=value,
        value_description=value_description,
        value_keywords=value_keywords,
        facts=parse_facts(data.get("facts"), str(path)),
        ground_truth=_ground_truth(data.get("ground_truth"), path),
        family=family,
        description=description.strip(),
        path=folder,
        objective=_texts(data, "objective", path),
        criteria=_texts(data, "criteria", path),
        control=_text(data, "control", path),
        uses_tags=data["uses_tags"],
        summary=_text(data, "summary", path),
        rationale=_text(data, "rationale", path) if "rationale" in data else "",
        compliance=_compliance(data.get("compliance"), path),
    )


def _value(block: Any, path: Path) -> tuple[str, str, tuple[str, ...]]:
    """`value: name` or `value: {name: ..., description: ..., keywords: [...]}`."""
    keywords: tuple[str, ...] = ()
    if isinstance(block, dict):
        unknown = sorted(str(key) for key in set(block) - {"name", "description", "keywords"})
        if unknown:
            raise SettingError(
                f"{path}: unknown key(s) value.{', value.'.join(unknown)}; "
                "allowed keys are name, description, keywords"
            )
        name = block.get("name")
        description = block.get("description", "")
        if not isinstance(description, str):
            raise SettingError(f"{path}: 'value.description' must be a string")
        keywords = _keywords(block.get("keywords"), path)
    else:
        name, description = block, ""
    if not isinstance(name, str) or not _NAME.match(name.strip()):
        raise SettingError(
            f"{path}: the value's name must be a lower_snake_case string, got {name!r}"
        )
    if name.strip() in _RESERVED_VALUES:
        raise SettingError(
            f"{path}: the value's name {name.strip()!r} is reserved (the frames readings use "
            "'other' and 'none' for a value no setting names, or none at all)"
        )
    return name.strip(), " ".join(description.split()), keywords


def _keywords(block: Any, path: Path) -> tuple[str, ...]:
    """`value.keywords`: words or phrases, each optionally ending in `*`."""
    if block is None:
        return ()
    if not isinstance(block, list) or not block:
        raise SettingError(f"{path}: 'value.keywords' must be a non-empty list of words")
    words: list[str] = []
    for item in block:
        word = " ".join(item.split()).lower() if isinstance(item, str) else ""
        if not _KEYWORD.match(word):
            raise SettingError(
                f"{path}: value keyword {item!r} must be letters, digits, spaces, hyphens or "
                "apostrophes (at most 60 characters), optionally ending in '*'"
            )
        words.append(word)
    return tuple(dict.fromkeys(words))


def _ground_truth(block: Any, path: Path) -> GroundTruth | None:
    """The optional `ground_truth` block: one plain text per tier."""
    if block is None:
        return None
    if not isinstance(block, dict) or set(block) != set(TIERS):
        raise SettingError(
            f"{path}: 'ground_truth' must be a mapping with exactly the keys "
            f"{', '.join(TIERS)} (one plain text per tier)"
        )
    texts: dict[str, str] = {}
    for tier in TIERS:
        text = block[tier]
        if not isinstance(text, str) or not text.strip():
            raise SettingError(f"{path}: 'ground_truth.{tier}' must be a non-empty string")
        if "{{" in text or "{%" in text:
            raise SettingError(
                f"{path}: 'ground_truth.{tier}' is plain text; template variables are not "
                "rendered there"
            )
        texts[tier] = " ".join(text.split())
    return GroundTruth(training=texts["training"], unmonitored=texts["unmonitored"])


def _compliance(block: Any, path: Path) -> ComplianceSpec:
    """The optional `compliance` block; absent means refusal-based compliance."""
    if block is None:
        return ComplianceSpec()
    kinds = ", ".join(COMPLIANCE_KINDS)
    if not isinstance(block, dict):
        raise SettingError(
            f"{path}: 'compliance' must be a mapping with keys {', '.join(_COMPLIANCE_KEYS)}, "
            f"got {type(block).__name__}"
        )
    unknown = sorted(str(key) for key in set(block) - set(_COMPLIANCE_KEYS))
    if unknown:
        raise SettingError(
            f"{path}: unknown key(s) compliance.{', compliance.'.join(unknown)}; "
            f"allowed keys are {', '.join(_COMPLIANCE_KEYS)}"
        )
    kind = block.get("kind")
    if kind not in COMPLIANCE_KINDS:
        raise SettingError(f"{path}: 'compliance.kind' must be one of {kinds}, got {kind!r}")
    texts: dict[str, str] = {}
    for key in ("complies", "resists", "rule"):
        if key not in block:
            if key == "rule":
                continue
            if kind == "objective":
                raise SettingError(
                    f"{path}: compliance kind 'objective' needs 'compliance.{key}', a sentence "
                    "or two saying what such an answer does"
                )
            continue
        value = block[key]
        if not isinstance(value, str) or not value.strip():
            raise SettingError(
                f"{path}: 'compliance.{key}' must be a non-empty string, got {value!r}"
            )
        if "{{" in value or "{%" in value:
            raise SettingError(
                f"{path}: 'compliance.{key}' is plain text; template variables such as "
                "{{ company }} are not rendered there"
            )
        texts[key] = " ".join(value.split())
    return ComplianceSpec(kind=kind, **texts)


def _text(data: dict[str, Any], key: str, path: Path) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise SettingError(f"{path}: {key!r} must be a non-empty string, got {value!r}")
    return value.strip()


def _texts(data: dict[str, Any], key: str, path: Path) -> tuple[str, ...]:
    value = data[key]
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items:
        raise SettingError(f"{path}: {key!r} must be a string or a non-empty list of strings")
    for index, item in enumerate(items):
        if not isinstance(item, str) or not item.strip():
            raise SettingError(f"{path}: {key}[{index}] must be a non-empty string, got {item!r}")
    return tuple(item.strip() for item in items)
