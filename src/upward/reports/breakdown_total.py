"""Why a breakdown's own total is not the headline value, in plain words.

A breakdown (gender, disability, race and ethnicity, ...) is published with its own total,
and groups are compared with that total. Urban often builds the breakdowns from other data
than the overall value: five years of survey answers rather than one, or earlier files.
The warehouse keeps each value's source file and line, and the catalog says, per measure,
how the two are built (``Metric.breakdown_source``); :func:`total_note` puts both beside
the chart on the profile and under the breakdown on Insights, so two numbers for "all
people" in the same year never stand side by side unexplained.
"""

from __future__ import annotations

from dataclasses import dataclass

from upward.analysis.uncertainty import ObservationLike
from upward.catalog import Metric, Variable
from upward.reports.numbers import format_ci, format_value

SAME_FILE = "Urban publishes the breakdown's total separately from the headline value."
ANOTHER_FILE = "Urban publishes the breakdown and its total in a different file from the headline."


@dataclass(frozen=True)
class TotalNote:
    """The explanation of one breakdown total that differs from the headline of its year."""

    sentence: str
    headline_source: str
    """ "path, line N" of the headline value ('' when not recorded)."""
    total_source: str


def _shown(variable: Variable, obs: ObservationLike) -> str:
    ci = format_ci(variable, obs.lb, obs.ub)
    text = format_value(variable, obs.value, getattr(obs, "value_text", None))
    return f"{text} ({ci})" if ci else text


def _source(obs: ObservationLike) -> str:
    path = getattr(obs, "source_file", None) or ""
    line = getattr(obs, "source_line", None)
    return f"{path}, line {line}" if path and line else path


def total_note(
    metric: Metric,
    variable: Variable,
    headline: ObservationLike | None,
    total: ObservationLike | None,
) -> TotalNote | None:
    """The note for a breakdown ``total`` that differs from the same year's ``headline``;
    None when either is missing, the years differ or the two values read the same."""
    if headline is None or total is None or headline.year != total.year:
        return None
    if headline.value is None or total.value is None:
        return None
    if format_value(variable, headline.value) == format_value(variable, total.value):
        return None  # the same as the page shows them: nothing seems to disagree
    same_file = getattr(headline, "source_file", None) == getattr(total, "source_file", None)
    why = metric.breakdown_source or (SAME_FILE if same_file else ANOTHER_FILE)
    sentence = (
        f"Why this total differs from the headline value: in {total.year} the total for this "
        f"breakdown is {_shown(variable, total)} and the headline value is "
        f"{_shown(variable, headline)}. {why} Each group here is compared with the "
        "breakdown's own total, never with the headline value."
    )
    return TotalNote(sentence, _source(headline), _source(total))
