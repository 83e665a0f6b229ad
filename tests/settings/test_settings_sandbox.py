"""Every template renders in the bounded sandbox: no escape, no leak, no hang."""

import os

import pytest

from aflab.settings import SettingError, load_setting, parse_variant, render_prompts
from aflab.settings._sandbox import MAX_CHARS, MAX_LOOP_ITEMS, BoundedSandbox
from aflab.settings._templates import environment, render_source

SECRET = "aflab-test-secret-4711"


@pytest.fixture(autouse=True)
def secret_in_environment(monkeypatch):
    monkeypatch.setenv("AFLAB_TEST_SECRET", SECRET)


def render(source: str) -> str:
    return render_source(source, {"query": "Q", "is_free_tier": True}, "own.j2")


def refused(source: str) -> str:
    with pytest.raises(SettingError) as caught:
        render(source)
    message = str(caught.value)
    assert message.startswith("own.j2: ")
    assert SECRET not in message
    return message


ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ cycler.__init__.__globals__['os'].environ['AFLAB_TEST_SECRET'] }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ (0).__class__.__base__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ query.__class__ }}",
    "{{ dict.__base__ }}",
    "{{ range.__globals__ }}",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_private_attributes_are_refused(source):
    message = refused(source)
    assert "sandbox" in message or "undefined" in message or "has no attribute" in message


def test_cycler_shell_escape_names_the_sandbox(tmp_path):
    marker = tmp_path / "ran"
    message = refused(f"{{{{ cycler.__init__.__globals__.os.popen('touch {marker}').read() }}}}")
    assert "refused by the template sandbox" in message
    assert "__init__" in message
    assert not marker.exists()


def test_lipsum_environment_leak_is_refused():
    message = refused("{{ lipsum.__globals__['os'].environ.get('AFLAB_TEST_SECRET') }}")
    assert "'lipsum' is undefined" in message
    assert os.environ["AFLAB_TEST_SECRET"] == SECRET  # there to be leaked, and it was not


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("{% for i in range(10**9) %}x{% endfor %}", "larger than"),
        ("{% for i in range(9999) %}{% for j in range(9999) %}{% endfor %}{% endfor %}", "loops"),
        ("{{ 'a' * 10**9 }}", "longer than"),
        ("{{ 2 ** 100000000 }}", "larger than"),
        ("{{ 7 ** 150000 }}", "power too large"),
        ("{{ 'a'|center(10**9) }}", "filter 'center'"),
        ("{{ [1]|batch(10**9, 'x')|list }}", "filter 'batch'"),
        ("{{ '{:999999999}'.format(1) }}", "format width"),
        ("{{ '%999999999s' % 'a' }}", "format width"),
        ("{{ '%s'|format('a' * 150000 ~ 'b' * 150000) }}", "longer than"),
        ("{% for i in range(5000) %}{{ 'x' * 100 }}{% endfor %}", "output longer than"),
        (
            "{% set ns = namespace(s='a') %}{% for i in range(60) %}"
            "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
            "value longer than",
        ),
        (
            "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}"
            "{{ f(40) }}",
            "steps",
        ),
        ("{% for x in [[1]] recursive %}{{ loop(x) }}{% endfor %}", "recursive loops"),
    ],
)
def test_unbounded_work_stops_with_a_clear_error(source, fragment):
    message = refused(source)
    assert fragment in message


def test_limits_are_far_above_the_shipped_prompts():
    longest = max(
        len(render_prompts(load_setting("helpful_only"), parse_variant(spec)).system)
        for spec in ("default", "facts=buried", "channel=news")
    )
    assert longest * 5 < MAX_CHARS


def test_ordinary_template_features_still_work():
    source = (
        "{{ query|upper }} {{ 12345678 }} {{ 3 * 4 }} {{ 'ab' ~ 'cd' }} {{ 10 ** 20 }} "
        "{% for c in 'abc' %}{{ loop.index }}/{{ loop.length }}{% endfor %} "
        "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}{% endfor %}"
        "{{ ns.n }} {{ '%05d'|format(42) }} {{ '{:>4}'.format('x') }}"
    )
    assert render(source) == "Q 12345678 12 abcd 100000000000000000000 1/32/33/3 3 00042    x"


def test_a_loop_at_the_limit_is_allowed():
    assert len(render(f"{{% for i in range({MAX_LOOP_ITEMS}) %}}x{{% endfor %}}")) == MAX_LOOP_ITEMS


def test_shipped_templates_use_the_same_sandbox():
    assert isinstance(environment(), BoundedSandbox)
    assert "lipsum" not in environment().globals


def test_user_files_render_in_the_sandbox(tmp_path):
    system = tmp_path / "system.j2"
    system.write_text("You work for {{ company }}. {{ cycler.__init__.__globals__ }}")
    with pytest.raises(SettingError, match=r"system\.j2: refused by the template sandbox"):
        render_prompts(load_setting("helpful_only"), parse_variant(""), system_prompt_file=system)


def test_setting_yaml_texts_render_in_the_sandbox(write_setting, minimal_yaml):
    text = minimal_yaml.replace(
        '"{{ company }} now trains you to be unkind."',
        "\"{{ lipsum.__globals__['os'].environ }}\"",
    )
    folder = write_setting(text=text)
    with pytest.raises(SettingError, match=r"setting\.yaml objective: 'lipsum' is undefined"):
        render_prompts(load_setting(folder), parse_variant(""))


def test_runtime_errors_name_the_template_line():
    message = refused("first line\nsecond line\n{{ 1 / 0 }}")
    assert "line 3" in message
    assert "ZeroDivisionError" in message


def test_syntax_errors_name_the_line():
    assert "syntax error on line 2" in refused("ok\n{{ query }\nmore")
    assert "syntax error on line 3" in refused("ok\n{% for x in y %}\nno end")
