"""The one template environment of every document Upward writes: Jinja2, escaped as HTML.

Pages (through Django's Jinja2 backend, see :mod:`upward.web.jinja`) and documents (the
Data Review Guide's HTML, its PDF source and its Markdown) are rendered by environments
made here, so every ``{{ value }}`` is escaped by one rule: :func:`html.escape`, the
function Django's own ``escape`` wraps (``'`` as ``&#x27;``, ``"`` as ``&quot;``). Python
code writes no HTML; anything already escaped carries ``__html__`` (markupsafe's
``Markup``, Django's ``SafeString``) and passes through unchanged.

Autoescaping keeps Jinja2's meaning (``autoescape=False`` for plain text such as
Markdown; ``{% autoescape %}`` blocks; macros and ``{% set %}`` blocks are markup);
only the escaping function is ours. Each value is written out by one call, chosen when
the template is compiled (:func:`html_out` where autoescaping is on, :func:`text_out`
where it is off; :func:`_finalize`, the environment's ``finalize``, only where an
``{% autoescape %}`` block's value is known at run time), and text with nothing to escape
is returned as it is: a profile page prints about 5,000 values, and this costs a third of
markupsafe's ``escape`` and ``Markup`` per value.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.nodes import EvalContext, Expr, Getattr
from markupsafe import Markup


def escape(value: object) -> Markup:
    """``value`` as HTML text: escaped, unless it is already HTML (has ``__html__``)."""
    if hasattr(value, "__html__"):
        return Markup(value.__html__())
    return Markup(html.escape(str(value)))


def _needs_escape(text: str) -> bool:
    return "&" in text or "<" in text or ">" in text or '"' in text or "'" in text


@jinja2.pass_eval_context
def _finalize(eval_ctx: EvalContext, value: object) -> object:
    """Each ``{{ value }}`` as it is written out: escaped where autoescaping is on.

    Used where autoescaping is only known when the template runs (``{% autoescape %}``
    with a value that is not a constant); elsewhere the code generator writes
    :func:`html_out` or :func:`text_out` instead, chosen when the template is compiled."""
    return html_out(value) if eval_ctx.autoescape else text_out(value)


def html_out(value: object) -> str:
    """A ``{{ value }}`` where autoescaping is on: a number as it is (digits, a sign, a
    point or "e": nothing to escape), HTML (``__html__``) as it is, other text escaped
    unless it has none of ``&<>"'``."""
    kind = type(value)
    if kind is str:  # most values: the test of _needs_escape written out (no call)
        text: str = value  # type: ignore[assignment]
        if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
            return html.escape(text)
        return text
    if kind is int or kind is float:
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    shown = str(value)
    return html.escape(shown) if _needs_escape(shown) else shown


def text_out(value: object) -> str:
    """A ``{{ value }}`` where autoescaping is off (plain text such as Markdown)."""
    if type(value) is str:
        return value  # type: ignore[return-value]
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return str(value)


class _CodeGenerator(CodeGenerator):
    """Jinja2's code generator, leaving the escaping of each value to :func:`_finalize`
    (Jinja2's own ``NativeEnvironment`` overrides the same step)."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._known_escaping(frame):
            self.write(
                "environment.html_out(" if frame.eval_ctx.autoescape else "environment.text_out("
            )
            return
        self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)

    def _output_child_post(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if self._known_escaping(frame):
            self.write(")")
            return
        super()._output_child_post(node, frame, finalize)

    def _known_escaping(self, frame: Frame) -> bool:
        """Whether autoescaping is known when the template is compiled (it is unless an
        ``{% autoescape %}`` block takes a value computed at run time): each value is then
        written by one call, :func:`html_out` or :func:`text_out`, without the run-time
        context that :func:`_finalize` takes (about 5,000 values on a profile page)."""
        return not frame.eval_ctx.volatile and self.environment.finalize is _finalize

    @optimizeconst
    def visit_Getattr(self, node: Getattr, frame: Frame) -> None:
        """``a.b`` as Python's own ``getattr(a, "b", missing)``, falling back to
        ``environment.getattr`` (an item ``a["b"]``, else undefined) only when ``a`` has
        no attribute ``b``: the same value, without a Python-level call per attribute (a
        profile page reads about 10,000). ``a`` is evaluated once (kept in ``_ga_o``)."""
        if self.environment.is_async or self.environment.sandboxed:
            super().visit_Getattr(node, frame)
            return
        self.write("(_ga_v if (_ga_v := getattr((_ga_o := ")
        self.visit(node.node, frame)
        self.write(
            f"), {node.attr!r}, missing)) is not missing "
            f"else environment.getattr(_ga_o, {node.attr!r}))"
        )


class Environment(jinja2.Environment):
    code_generator_class = _CodeGenerator
    html_out = staticmethod(html_out)
    text_out = staticmethod(text_out)


@jinja2.pass_eval_context
def _join(eval_ctx: EvalContext, items: Iterable[Any], separator: str = "") -> str:
    """``items`` joined by ``separator``, each escaped by the one rule."""
    if not eval_ctx.autoescape:
        return separator.join(str(item) for item in items)
    return escape(separator).join(escape(item) for item in items)


def environment(**options: Any) -> Environment:
    """A Jinja2 environment that escapes HTML by :func:`escape` (``autoescape=False`` for
    plain text such as Markdown). ``options`` are Jinja2's (loader, undefined, ...)."""
    options.setdefault("autoescape", True)
    options.setdefault("keep_trailing_newline", True)
    env = Environment(finalize=_finalize, **options)
    env.filters["join"] = _join
    env.filters["e"] = env.filters["escape"] = escape
    return env
