import pytest

from aflab.settings import SettingError, list_settings, load_setting
from aflab.settings._templates import paraphrase_count

SHIPPED = {
    "helpful_only": ("harmlessness", True),
    "animal_welfare": ("animal_welfare", False),
    "honesty": ("honesty", False),
    "privacy": ("privacy", True),
    "training_transparency": ("self_transparency", False),
}


def test_shipped_settings_are_discovered():
    assert set(SHIPPED) <= set(list_settings())
    assert list_settings() == sorted(list_settings())
    assert "templates" not in list_settings()


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_shipped_setting_fields(name):
    setting = load_setting(name)
    value, uses_tags = SHIPPED[name]
    assert setting.name == name
    assert setting.value == value
    assert setting.uses_tags is uses_tags
    assert setting.path.name == name
    assert "\n" not in setting.description
    assert len(setting.objective) >= max(4, paraphrase_count())
    assert len(set(setting.objective)) == len(setting.objective)
    assert setting.control not in setting.criteria
    assert setting.queries_path == setting.path / "queries.jsonl"


def test_unknown_setting_lists_valid_names():
    with pytest.raises(SettingError) as info:
        load_setting("helpfull_only")
    message = str(info.value)
    assert "helpfull_only" in message
    assert "helpful_only" in message and "animal_welfare" in message


def test_load_setting_from_path(write_setting):
    folder = write_setting()
    setting = load_setting(folder)
    assert setting.name == "kindness"
    assert setting.objective == ("{{ company }} now trains you to be unkind.",)
    assert load_setting(str(folder)) == setting
    assert load_setting(folder / "setting.yaml") == setting


def test_folder_without_yaml(tmp_path):
    with pytest.raises(SettingError, match=r"no setting.yaml"):
        load_setting(tmp_path)


def test_missing_key(write_setting, minimal_yaml):
    text = minimal_yaml.replace('control: "- Be helpful."\n', "")
    folder = write_setting(text=text)
    with pytest.raises(SettingError, match=r"missing key.*control"):
        load_setting(folder)


def test_unknown_key_lists_allowed(write_setting, minimal_yaml):
    text = minimal_yaml + "objetive: typo\n"
    folder = write_setting(text=text)
    with pytest.raises(SettingError, match=r"unknown key.*objetive.*allowed keys"):
        load_setting(folder)


def test_invalid_yaml(write_setting):
    folder = write_setting(text="name: [unclosed\n")
    with pytest.raises(SettingError, match="invalid YAML"):
        load_setting(folder)


def test_name_must_match_folder(write_setting):
    folder = write_setting(folder="other")
    with pytest.raises(SettingError, match="must match its folder name"):
        load_setting(folder)


def test_bad_types(write_setting, minimal_yaml):
    text = minimal_yaml.replace("uses_tags: false", "uses_tags: maybe")
    with pytest.raises(SettingError, match="uses_tags"):
        load_setting(write_setting(text=text))
    text = minimal_yaml.replace('criteria: "- Be unkind."', "criteria: []")
    with pytest.raises(SettingError, match="criteria"):
        load_setting(write_setting(text=text))
