"""The one template environment of every document Upward writes: Jinja2, escaped as HTML.

Pages (through Django's Jinja2 backend, see :mod:`upward.web.jinja`) and documents (the
Data Review Guide's HTML, its PDF source and its Markdown) are rendered by environments
made here, so every ``{{ value }}`` is escaped by one rule: :func:`html.escape`, the
function Django's own ``escape`` wraps (``'`` as ``&#x27;``, ``"`` as ``&quot;``). Python
code writes no HTML; anything already escaped carries ``__html__`` (markupsafe's
``Markup``, Django's ``SafeString``) and passes through unchanged.

Autoescaping keeps Jinja2's meaning (``autoescape=False`` for plain text such as
Markdown; ``{% autoescape false %}`` blocks; macros and ``{% set %}`` blocks are markup);
only the escaping function is ours. It runs as the environment's ``finalize``, once per
value, and text with nothing to escape is returned as it is: a profile page prints about
5,000 values, and this costs a third of markupsafe's ``escape`` and ``Markup`` per value.
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


@jinja2.pass_eval_context
def _finalize(eval_ctx: EvalContext, value: object) -> object:
    """Each ``{{ value }}`` as it is written out: escaped where autoescaping is on."""
    kind = type(value)
    if kind is int or kind is float:
        return value  # digits, a sign, a point or "e": nothing to escape
    if kind is not str:
        if hasattr(value, "__html__"):
            return value.__html__()
        value = str(value)
    if not eval_ctx.autoescape:
        return value
    text: str = value  # type: ignore[assignment]
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return html.escape(text)
    return text


class _CodeGenerator(CodeGenerator):
    """Jinja2's code generator, leaving the escaping of each value to :func:`_finalize`
    (Jinja2's own ``NativeEnvironment`` overrides the same step)."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        self.write("str(")
        if finalize.src is not None:
            self.write(finalize.src)

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
