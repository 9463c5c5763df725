"""The strategy overview of a workspace (/w/<slug>/plan/): one card per part."""

from __future__ import annotations

from upward.web.knowledge.views.hub import section_hub, section_links

SECTION = "plan"


hub = section_hub(
    "Strategy",
    "From the evidence to action: the coalition's priorities, its community vision, the "
    "theory of change, and a systems-change logic model whose strategies trace to the "
    "predictors, the partners and the evidence behind them.",
    SECTION,
    section_links("upward.web.strategy.urls"),
)
