"""The measurement overview of a workspace (/w/<slug>/measure/): one card per part."""

from __future__ import annotations

from upward.web.knowledge.views.hub import section_hub, section_links

SECTION = "measure"


hub = section_hub(
    "Measurement and the plan",
    "From the logic model to a published Mobility Action Plan: a measure for every element, "
    "baselines pinned to a data release, targets the data can detect, progress on each new "
    "release, actions with owners, and the plan's sustainability.",
    SECTION,
    section_links("upward.web.measurement.urls"),
)
