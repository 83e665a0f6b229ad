"""Discovering setting folders and loading their `setting.yaml`."""

import re
from pathlib import Path
from typing import Any

import yaml

from aflab.settings._errors import SettingError
from aflab.settings._text import read_text
from aflab.settings._types import COMPLIANCE_KINDS, ComplianceSpec, Setting

__all__ = ["SETTINGS_DIR", "list_settings", "load_setting"]

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
_OPTIONAL = ("rationale", "compliance")
_COMPLIANCE_KEYS = ("kind", "complies", "resists")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


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
    return Setting(
        name=name,
        value=_text(data, "value", path),
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
    for key in ("complies", "resists"):
        if key not in block:
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
