"""The measurement overview of a workspace (/w/<slug>/measure/): one card per part."""

from __future__ import annotations

from upward.web.knowledge.views.hub import HubLink, section_hub

SECTION = "measure"


def _links() -> list[HubLink]:
    from upward.web.measurement.urls import SECTIONS

    return [link for module in SECTIONS for link in module.SECTION_LINKS]


hub = section_hub(
    "Measurement and the plan",
    "From the logic model to a published Mobility Action Plan: a measure for every element, "
    "baselines pinned to a data release, targets the data can detect, progress on each new "
    "release, actions with owners, and the plan's sustainability.",
    SECTION,
    _links,
)
