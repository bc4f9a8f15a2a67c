"""A Jinja2 sandbox with budgets, for user-editable templates (``brief.md.j2``).

Jinja2's ``ImmutableSandboxedEnvironment`` stops a template from reaching Python internals or
changing its data, but not from running forever (``{% for a in range(100000) %}{% for b in
range(100000) %}...``) or building a huge value (``'x' * 10**10``). ``BudgetedSandbox`` adds:

``MAX_STEPS``
    loop iterations, calls and filter applications per render; every ``{% for %}`` iterates
    through ``BudgetedSandbox.counted`` (its loops are compiled that way by ``_Generator``).
``MAX_SECONDS``
    wall time per render, checked at every step.
``MAX_CHARS``
    length of the rendered output, of any text or list a template builds (``~``, ``+``, ``*``,
    ``%``, filters and calls are checked), and of any width or count a template passes to a
    filter or a call (``center(10**9)``, ``'%0999999999d'``) — checked before the operation
    wherever one step could exceed it.
``MAX_BUILT``
    characters and items of all the values a render builds, added up (so a loop cannot pile up
    memory one allowed value at a time).
``MAX_INT_BITS``
    size of integers built with ``*`` and ``**``.

``lipsum`` (a generator of filler text) is removed from the template globals, and a template is
one file: ``{% include %}``, ``{% import %}`` and ``{% extends %}`` load nothing.

A template that exceeds a budget stops with ``BudgetError``; ``render`` turns it, a syntax
error, an undefined variable or any error raised by the template's own expressions into a
``TemplateError`` naming the template file and line.
"""

from __future__ import annotations

import functools
import re
import time
import traceback
from typing import TYPE_CHECKING, Any

from jinja2 import FunctionLoader, nodes
from jinja2.compiler import CodeGenerator
from jinja2.exceptions import SecurityError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import TemplateError as JinjaError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from policybrief.errors import TemplateError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Mapping
    from types import CodeType

    from jinja2.compiler import Frame
    from jinja2.runtime import Context

__all__ = [
    "MAX_BUILT",
    "MAX_CHARS",
    "MAX_SECONDS",
    "MAX_STEPS",
    "BudgetError",
    "BudgetedSandbox",
    "render",
]

MAX_STEPS = 200_000
MAX_SECONDS = 5.0
MAX_CHARS = 2_000_000
MAX_BUILT = 20_000_000
MAX_INT_BITS = 4096
#: A width or precision of a million characters or more in a ``%`` or ``{}`` format spec.
_HUGE_WIDTH = re.compile(r"%[-#0 +]*(?:\d{7,}|\d*\.\d{7,})|\{[^{}]*:[^{}]*?\d{7,}[^{}]*\}")
#: Errors a template's own expressions can raise (``1/0``, ``'a' + 1``, ``x[99]``, recursion).
TEMPLATE_FAULTS = (
    JinjaError,
    ArithmeticError,
    AttributeError,
    LookupError,
    RecursionError,
    TypeError,
    ValueError,
)


class BudgetError(SecurityError):
    """A template went over one of the sandbox's budgets."""


def _size(value: object) -> int:
    """Characters or items of a built value; 0 for anything that is not a sized built-in."""
    if isinstance(value, str | bytes | list | tuple | dict | set | frozenset | range):
        return len(value)
    return 0


def _check_int(value: object) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_CHARS:
        msg = f"a width or count of {value:,} (limit {MAX_CHARS:,})"
        raise BudgetError(msg)


def _check_format(text: object) -> None:
    if isinstance(text, str) and _HUGE_WIDTH.search(text):
        msg = f"a format width of a million characters or more (limit {MAX_CHARS:,})"
        raise BudgetError(msg)


class _Generator(CodeGenerator):
    """Compiles every ``{% for %}`` to iterate through ``environment.counted`` and every ``~``
    concatenation through ``environment.sized``."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        counted = nodes.EnvironmentAttribute("counted")
        node.iter = nodes.Call(counted, [node.iter], [], None, None).set_lineno(node.lineno)
        super().visit_For(node, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")


class _CountedFilters(dict[str, Any]):
    """The environment's filters; each one looked up by a template counts and checks its use."""

    def __init__(self, env: BudgetedSandbox, filters: Mapping[str, Any]) -> None:
        super().__init__(filters)
        self._env = env

    def __getitem__(self, name: str) -> Any:
        return self._env.counted_filter(name, super().__getitem__(name))

    def get(self, name: str, default: Any = None) -> Any:  # Jinja2 folds constants with .get
        try:
            return self[name]
        except KeyError:
            return default


class BudgetedSandbox(ImmutableSandboxedEnvironment):
    """``ImmutableSandboxedEnvironment`` with step, time and size budgets (module docstring)."""

    code_generator_class = _Generator
    intercepted_binops = frozenset({"+", "*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        # One file: {% include %}, {% import %} and {% extends %} find nothing (TemplateNotFound).
        super().__init__(loader=FunctionLoader(lambda _name: None), **options)
        self.filters = _CountedFilters(self, self.filters)
        self.globals.pop("lipsum", None)
        self.steps = self.built = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def start(self) -> None:
        """Reset the budgets: call before each render."""
        self.steps = self.built = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def step(self) -> None:
        """Count one step; ``BudgetError`` past ``MAX_STEPS`` or ``MAX_SECONDS``."""
        self.steps += 1
        if self.steps > MAX_STEPS:
            msg = f"more than {MAX_STEPS:,} loop iterations and calls"
            raise BudgetError(msg)
        if time.monotonic() > self.deadline:
            msg = f"rendering took more than {MAX_SECONDS:g} seconds"
            raise BudgetError(msg)

    def sized(self, value: Any) -> Any:
        """``value``, or ``BudgetError`` when it is longer than ``MAX_CHARS`` or too big an int."""
        size = _size(value)
        if size > MAX_CHARS:
            msg = f"a value of {size:,} characters or items (limit {MAX_CHARS:,})"
            raise BudgetError(msg)
        self.built += size
        if self.built > MAX_BUILT:
            msg = f"building more than {MAX_BUILT:,} characters and items in all"
            raise BudgetError(msg)
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            msg = f"a number of more than {MAX_INT_BITS:,} bits"
            raise BudgetError(msg)
        return value

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate ``iterable``, one step per item (what every ``{% for %}`` loops over)."""
        for item in iterable:
            self.step()
            yield item

    def counted_filter(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` (the filter ``name``), counting each use and checking its arguments."""
        first = 1 if getattr(func, "jinja_pass_arg", None) is not None else 0

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            self.step()
            value, rest = args[first] if len(args) > first else None, args[first + 1 :]
            for arg in (*rest, *kwargs.values()):
                _check_int(arg)
                # indent repeats its width on every line; other filters repeat a text argument
                size = arg if name == "indent" and isinstance(arg, int) else _size(arg)
                if _size(value) * max(1, size) > MAX_CHARS:
                    msg = f"filter {name} could build more than {MAX_CHARS:,} characters"
                    raise BudgetError(msg)
            if name == "format":
                _check_format(value)
            return self.sized(func(*args, **kwargs))

        return run

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Every call a template makes: counted, arguments checked, result size checked."""
        self.step()
        receiver = getattr(obj, "__self__", None)
        if isinstance(receiver, str | list | tuple | dict):  # a built-in type's method
            name = getattr(obj, "__name__", "")
            for arg in (*args, *kwargs.values()):
                _check_int(arg)  # "x".ljust(10**9), "x".zfill(10**9)
                # "text".replace("", x), sep.join(items): the result grows with the product
                if len(receiver) * max(1, _size(arg)) > MAX_CHARS:
                    msg = f"{name}() could build more than {MAX_CHARS:,} characters"
                    raise BudgetError(msg)
            tab = args[0] if args else kwargs.get("tabsize", 8)
            if isinstance(receiver, str) and name == "expandtabs" and isinstance(tab, int):
                self.sized(range(receiver.count("\t") * tab))
        return self.sized(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja2's sandboxed ``str.format``, refused for a huge width in the format string."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        _check_format(value.__self__)

        def checked(*args: Any, **kwargs: Any) -> str:
            for arg in (*args, *kwargs.values()):  # a width passed as an argument: "{:{}}"
                for item in arg.values() if isinstance(arg, dict) else (arg,):
                    _check_int(item)
            return wrapped(*args, **kwargs)

        return checked

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        """``+ * ** %``, refused before they run when the result would be too big."""
        self.step()
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if _size(seq) and isinstance(count, int) and _size(seq) * count > MAX_CHARS:
                    msg = f"a repetition of {_size(seq) * count:,} characters or items"
                    raise BudgetError(msg)
            if isinstance(left, int) and isinstance(right, int):
                self.sized(1 << min(left.bit_length() + right.bit_length(), MAX_INT_BITS + 1))
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and left.bit_length() * right > MAX_INT_BITS:
                msg = f"a number of more than {MAX_INT_BITS:,} bits"
                raise BudgetError(msg)
        elif operator == "%" and isinstance(left, str):
            _check_format(left)
            for arg in right if isinstance(right, tuple) else (right,):
                _check_int(arg)
        return self.sized(super().call_binop(context, operator, left, right))


#: Compiled templates of this process (``watch`` rebuilds reuse them: compiling the brief's
#: template is about a third of a second). Keyed by the sandbox's class and the exact source.
_COMPILED: dict[tuple[type, str, str], CodeType] = {}


def _compiled(env: BudgetedSandbox, source: str, label: str) -> CodeType:
    key = (type(env), label, source)
    code = _COMPILED.get(key)
    if code is None:
        code = env.compile(source, filename=label)
        if len(_COMPILED) >= 8:  # a few templates at most; never grows without bound
            _COMPILED.clear()
        _COMPILED[key] = code
    return code


def render(env: BudgetedSandbox, source: str, label: str, context: Mapping[str, Any]) -> str:
    """Render template ``source`` within ``env``'s budgets.

    Parameters
    ----------
    env
        The sandbox, with the template's filters.
    source
        Jinja2 source.
    label
        The template file as messages name it (also the name in Jinja2's tracebacks).
    context
        The template's variables.

    Returns
    -------
    str
        The output (at most ``MAX_CHARS`` characters).

    Raises
    ------
    TemplateError
        ``label: line N: what went wrong`` for a syntax error, an undefined variable, a budget
        exceeded or any other error in the template's expressions.
    """
    env.start()
    try:
        template = env.template_class.from_code(
            env, _compiled(env, source, label), env.make_globals(None)
        )
        parts: list[str] = []
        length = 0
        for part in template.generate(context):
            length += len(part)
            if length > MAX_CHARS:
                msg = f"an output of more than {MAX_CHARS:,} characters"
                raise BudgetError(msg)
            parts.append(part)
    except TEMPLATE_FAULTS as err:
        raise TemplateError(_message(err, label)) from err
    return "".join(parts)


def _message(err: BaseException, label: str) -> str:
    """``label: line N: problem`` from a Jinja2 error or an error in template code."""
    line = err.lineno if isinstance(err, TemplateSyntaxError) else None
    for frame in traceback.extract_tb(err.__traceback__):
        if frame.filename == label:
            line = frame.lineno
    where = f"{label}: line {line}" if line else label
    if isinstance(err, TemplateNotFound):
        problem = (
            f"{err.message!r} not found: a template is one file "
            "({% include %}, {% import %} and {% extends %} cannot load others)"
        )
    elif isinstance(err, BudgetError):
        problem = f"stopped: {err} (the template sandbox's limit)"
    elif isinstance(err, JinjaError):
        problem = err.message or type(err).__name__
    else:
        problem = f"{type(err).__name__}: {err}"
    return f"{where}: {problem}"
