"""A Jinja2 sandbox with bounded work: every template aflab renders goes through it.

`ImmutableSandboxedEnvironment` already blocks private attributes (`__globals__`,
`__init__`, ...) and changes to lists and dicts. On top of it, each render gets a budget:

- loops: every `{% for %}` iterable is counted, at most `MAX_LOOP_ITEMS` items in all;
  `range()` refuses more than that at once;
- steps: calls, arithmetic and `~` joins count too, at most `MAX_STEPS`, and a render
  stops after `MAX_SECONDS`;
- size: every value built by `*`, `+`, `%`, `~`, `**`, a filter or a call, and all output
  written (in macros and blocks too), is at most `MAX_CHARS` characters; widths in format
  strings and integer arguments larger than that are refused.

`lipsum` is removed from the globals (no use in a prompt; it could generate without end).
Going over a limit raises `TemplateLimitError`, a `jinja2.sandbox.SecurityError`.
"""

import contextlib
import contextvars
import functools
import operator
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import _PassArg
from jinja2.visitor import NodeTransformer

__all__ = [
    "MAX_CHARS",
    "MAX_LOOP_ITEMS",
    "MAX_SECONDS",
    "MAX_STEPS",
    "BoundedSandbox",
    "TemplateLimitError",
    "render_budget",
]

MAX_CHARS = 200_000
"""Largest rendered text or intermediate value (ten times the longest shipped prompt)."""
MAX_LOOP_ITEMS = 10_000
"""Loop items allowed in one render, all loops together."""
MAX_STEPS = 100_000
"""Calls, operators and joins allowed in one render."""
MAX_SECONDS = 10.0
"""Wall-clock limit of one render (a backstop; the counts above bind first)."""

# A width or precision in a %-format or a {}-format spec.
_PERCENT_WIDTH = re.compile(r"%[-+ #0]*(\d+)(?:\.(\d+))?")
_BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")
_DIGITS = re.compile(r"\d+")
# A power's result may have about as many digits as Python will print (4300).
_MAX_POWER_BITS = 16_000
_HOOKS = frozenset({"loop_items", "joined", "written"})
_SIZE_OPERATORS = {"*": operator.mul, "+": operator.add, "%": operator.mod, "**": operator.pow}


class TemplateLimitError(SecurityError):
    """A template went over one of the sandbox's limits."""


class _Budget:
    def __init__(self) -> None:
        self.loop_items = 0
        self.steps = 0
        self.chars = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateLimitError(f"template stopped: more than {MAX_STEPS} steps")
        if self.steps % 256 == 0 and time.monotonic() > self.deadline:
            raise TemplateLimitError(f"template stopped: rendering took over {MAX_SECONDS:g} s")


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "aflab_template_budget", default=None
)


@contextlib.contextmanager
def render_budget() -> Iterator[None]:
    """Count everything rendered inside the block against one budget.

    Nested blocks share the outer budget. Renders through `BoundedTemplate` open one
    themselves; open one around calls of macros taken from a template module.
    """
    if _BUDGET.get() is not None:
        yield
        return
    token = _BUDGET.set(_Budget())
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _budget() -> _Budget:
    # Outside `render_budget` each operation still gets the per-value checks.
    return _BUDGET.get() or _Budget()


def _check_size(value: Any, what: str) -> Any:
    if isinstance(value, Sized) and not isinstance(value, dict) and len(value) > MAX_CHARS:
        raise TemplateLimitError(f"template stopped: {what} longer than {MAX_CHARS} characters")
    return value


def _check_length(length: int) -> None:
    if length > MAX_CHARS:
        raise TemplateLimitError(f"template stopped: value longer than {MAX_CHARS} characters")


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_CHARS:
        raise TemplateLimitError(f"template stopped: {what} {value} is larger than {MAX_CHARS}")


def _check_format(fmt: str, args: Iterable[Any]) -> None:
    widths = [w for m in _PERCENT_WIDTH.finditer(fmt) for w in m.groups() if w]
    widths += [w for m in _BRACE_SPEC.finditer(fmt) for w in _DIGITS.findall(m.group(1))]
    for width in widths:
        if len(width) > 6 or int(width) > MAX_CHARS:
            raise TemplateLimitError(f"template stopped: format width {width} is too large")
    for arg in args:
        _check_int(arg, "format argument")


def bounded_range(*args: int) -> range:
    """`range` limited to `MAX_LOOP_ITEMS` items."""
    numbers = range(*args)
    if len(numbers) > MAX_LOOP_ITEMS:
        raise TemplateLimitError(
            f"template stopped: range of {len(numbers)} items (at most {MAX_LOOP_ITEMS})"
        )
    return numbers


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus the limits described in the module docstring."""

    intercepted_binops = frozenset(_SIZE_OPERATORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.template_class = BoundedTemplate
        self.globals.pop("lipsum", None)
        self.globals["range"] = bounded_range
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}

    def _generate(self, source: nodes.Template, *args: Any, **kwargs: Any) -> str:
        # Every template passes here before compiling: route its loops, joins and output
        # through the budget, where the sandbox itself has no hook.
        _Instrument().visit(source)
        return str(super()._generate(source, *args, **kwargs))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """Arithmetic with sizes checked before the result is built."""
        _budget().step()
        if operator == "**":
            _check_int(right, "exponent")
            bits = abs(left).bit_length() if isinstance(left, int) else 0
            if isinstance(right, int | float) and bits > 1 and abs(right) * bits > _MAX_POWER_BITS:
                raise TemplateLimitError("template stopped: power too large")
        elif operator == "*":
            for seq, count in ((left, right), (right, left)):
                if isinstance(seq, Sized) and isinstance(count, int):
                    _check_length(len(seq) * max(count, 0))
        elif operator == "+" and isinstance(left, Sized) and isinstance(right, Sized):
            _check_length(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            _check_format(left, right if isinstance(right, tuple) else (right,))
        return _check_size(_SIZE_OPERATORS[operator](left, right), "value")

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """A sandboxed call, counted, with large integer arguments refused."""
        if getattr(__obj, "__self__", None) is __self and __obj.__name__ in _HOOKS:
            return __context.call(__obj, *args, **kwargs)  # the hooks added by `_Instrument`
        _budget().step()
        for arg in (*args, *kwargs.values()):
            _check_int(arg, "argument")
        return _check_size(super().call(__context, __obj, *args, **kwargs), "call result")

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """`str.format` in the sandbox, with widths checked first."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = str(value.__self__)

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_format(fmt, (*args, *kwargs.values()))
            return str(_check_size(wrapped(*args, **kwargs), "formatted text"))

        return checked

    def loop_items(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """A loop's items, each counted against the budget."""
        budget = _budget()
        for item in iterable:
            budget.loop_items += 1
            if budget.loop_items > MAX_LOOP_ITEMS:
                raise TemplateLimitError(
                    f"template stopped: loops ran more than {MAX_LOOP_ITEMS} items"
                )
            budget.step()
            yield item

    def joined(self, *parts: Any) -> str:
        """The `~` operator with the result size checked."""
        _budget().step()
        texts = [str(part) for part in parts]
        _check_length(sum(map(len, texts)))
        return "".join(texts)

    def written(self, value: Any) -> Any:
        """Output about to be written, counted against `MAX_CHARS`."""
        budget = _budget()
        budget.step()
        budget.chars += len(str(value))
        if budget.chars > MAX_CHARS:
            raise TemplateLimitError(f"template stopped: output longer than {MAX_CHARS} characters")
        return value


class BoundedTemplate(jinja2.Template):
    """A template whose renders each run under one `render_budget`."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Render under a fresh budget (or the enclosing one)."""
        with render_budget():
            return super().render(*args, **kwargs)

    def make_module(self, *args: Any, **kwargs: Any) -> TemplateModule:
        """Evaluate the module under a budget (its macros open none when called later)."""
        with render_budget():
            return super().make_module(*args, **kwargs)


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    # The value comes first, after the context or environment for `pass_*` filters; it may
    # be large (a number shown in a prompt), the arguments may not.
    first = 1 if _PassArg.from_obj(function) is None else 2

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _budget().step()
        for arg in (*args[first:], *kwargs.values()):
            _check_int(arg, f"argument of filter {name!r}")
        if name == "format" and isinstance(args[0], str):
            _check_format(args[0], args[1:])
        return _check_size(function(*args, **kwargs), f"result of filter {name!r}")

    return bounded


class _Instrument(NodeTransformer):
    """Routes loops, `~` joins and output through the environment's counting methods."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        if node.recursive:
            raise jinja2.TemplateSyntaxError("recursive loops are not allowed", node.lineno)
        node.iter = _env_call("loop_items", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _env_call("joined", list(node.nodes), node.lineno)

    def visit_Output(self, node: nodes.Output) -> nodes.Node:
        self.generic_visit(node)
        node.nodes = [_env_call("written", [part], part.lineno) for part in node.nodes]
        return node


def _env_call(method: str, args: list[Any], lineno: int) -> nodes.Call:
    return nodes.Call(
        nodes.EnvironmentAttribute(method, lineno=lineno), args, [], None, None, lineno=lineno
    )
