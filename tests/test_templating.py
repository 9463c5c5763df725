"""The one template environment's escaping: each value written by one function chosen when
the template is compiled (``html_out`` or ``text_out``), or by ``_finalize`` where
autoescaping is only known at run time; the same text either way."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from upward.reports.templating import environment

VALUES = {"text": "a & <b> \"c\" 'd'", "plain": "St. Paul", "int": 7, "float": 0.1 + 0.2,
          "markup": Markup("<em>x</em>"), "none": None, "flag": True}  # fmt: skip
REST = "|St. Paul|7|0.30000000000000004|<em>x</em>|None|True"
ESCAPED = "a &amp; &lt;b&gt; &quot;c&quot; &#x27;d&#x27;" + REST
PLAIN = "a & <b> \"c\" 'd'" + REST
ROW = "{{ text }}|{{ plain }}|{{ int }}|{{ float }}|{{ markup }}|{{ none }}|{{ flag }}"


@pytest.mark.parametrize(
    ("source", "autoescape", "expected"),
    [
        (ROW, True, ESCAPED),
        (ROW, False, PLAIN),
        ("{% autoescape false %}" + ROW + "{% endautoescape %}", True, PLAIN),
        ("{% autoescape true %}" + ROW + "{% endautoescape %}", False, ESCAPED),
    ],
)
def test_values_are_escaped_by_the_one_rule(source: str, autoescape: bool, expected: str) -> None:
    env = environment(autoescape=autoescape)
    assert env.from_string(source).render(VALUES) == expected


def test_escaping_chosen_at_run_time_gives_the_same_text() -> None:
    env = environment()
    template = env.from_string("{% autoescape escaping %}" + ROW + "{% endautoescape %}")
    assert template.render(VALUES, escaping=True) == ESCAPED
    assert template.render(VALUES, escaping=False) == PLAIN


def test_undefined_prints_nothing() -> None:
    env = environment(undefined=jinja2.ChainableUndefined)
    assert env.from_string("[{{ missing }}][{{ missing.deeper }}]").render() == "[][]"
