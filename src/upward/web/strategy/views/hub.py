"""The strategy overview of a workspace (/w/<slug>/plan/): one card per part."""

from __future__ import annotations

from upward.web.knowledge.views.hub import HubLink, section_hub

SECTION = "plan"


def _links() -> list[HubLink]:
    from upward.web.strategy.urls import SECTIONS

    return [link for module in SECTIONS for link in module.SECTION_LINKS]


hub = section_hub(
    "Strategy",
    "From the evidence to action: the coalition's priorities, its community vision, the "
    "theory of change, and a systems-change logic model whose strategies trace to the "
    "predictors, the partners and the evidence behind them.",
    SECTION,
    _links,
)
