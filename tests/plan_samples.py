"""A small Mobility Action Plan, written by hand, for the document's unit tests."""

from __future__ import annotations

from upward.reports import action_plan as ap
from upward.reports import logic_model_diagram as lm

HOSTILE = "<script>alert('x')</script> & “quotes”"


def baseline(quality: str = "Strong") -> ap.Value:
    return ap.Value(
        "41.2%",
        0.412,
        0.39,
        0.434,
        "95% CI 39.0% to 43.4%",
        quality,
        2021,
        "2023.01",
        "39.0%",
        "43.4%",
    )


def indicator(title: str, target: ap.TargetLine | None, quality: str = "Strong") -> ap.Indicator:
    return ap.Indicator(
        title,
        "Employment",
        "Result",
        "Ramsey County, MN",
        "Share employed",
        "Everyone",
        baseline(quality),
        target,
        target_note="" if target else "No target set yet.",
        mdc_text="3.1 percentage points",
        responsible="Ana (member)",
        data_source="Urban Institute",
        frequency="With each data release",
        unit="share",
    )


def target(value: float, inside: bool) -> ap.TargetLine:
    return ap.TargetLine(
        value,
        f"{value * 100:.1f}%",
        "Percent improvement",
        f"A target of {value * 100:.1f}%.",
        0.031,
        "3.1 percentage points",
        inside,
    )


def model() -> lm.PriorityModel:
    strategy = lm.StrategyInfo(7, "Jobs pipeline", "emerging", "Ana", ("Works Inc",))
    return lm.PriorityModel(
        1,
        "Employment",
        (
            lm.ModelElement(10, "strategy", "Jobs pipeline", "Train and place", strategy=strategy),
            lm.ModelElement(11, "result", "More people employed", ""),
        ),
        (lm.ModelLink(1, 10, 11, "Training leads to jobs", "Employers hire"),),
    )


def document(**changes: object) -> ap.PlanDocument:
    doc = ap.PlanDocument(
        title="Mobility Action Plan",
        coalition="Ramsey Rising",
        slug="ramsey",
        date="2026-12-02",
        release="2023.01",
        release_checksum="abc123def4567890",
        coalition_work=ap.CoalitionWork(
            description="We are neighbors working together.",
            places=("Ramsey County, MN",),
            backbone="United Way",
            members=(ap.Person("ana", "Owner"),),
            stakeholder_count=3,
            stakeholder_sectors=(ap.Tally("Nonprofit", 2), ap.Tally("Government", 1)),
            engagement_count=1,
            participants=25,
            engagements=(
                ap.EngagementLine(
                    "Listening session", "2026-03-01", "Meeting", "Consult", 25, ("Works Inc",)
                ),
            ),
        ),
        conditions=ap.Conditions(
            priorities=(
                ap.PriorityCondition(
                    "Employment",
                    "Ramsey County, MN",
                    "Jobs",
                    "Opportunity",
                    "Employment",
                    "Everyone",
                    baseline(),
                    ("Not distinguishable from its peers",),
                ),
            ),
        ),
        direction=ap.Direction(
            vision=("Everyone here can thrive.",),
            vision_version=2,
            vision_status="Adopted on 2026-05-01",
            theories=(ap.Theory("train people", "more get jobs", "employers need skills"),),
            models=(model(),),
            strategies=(
                ap.StrategyLine(
                    "Jobs pipeline",
                    "Train and place",
                    "Emerging",
                    True,
                    lead="Ana",
                    partners=("Works Inc",),
                ),
            ),
        ),
        measurement=ap.Measurement(
            indicators=(
                indicator("Employment overall", target(0.45, False)),
                indicator("Employment small step", target(0.42, True)),
                indicator("Employment weak", None, quality="Weak"),
            ),
            performance=(
                ap.MeasureLine(
                    "People trained",
                    "Performance measure",
                    "Employment",
                    "Jobs pipeline",
                    "How much was done",
                ),
            ),
        ),
        sustainability=ap.Sustainability(
            strategies=(
                ap.StrategyPlan(
                    "Jobs pipeline",
                    ("Works Inc",),
                    "Two trainers",
                    funding=(ap.Funding("City grant", "$50,000.00", "Secured"),),
                    actions=(
                        ap.ActionLine(
                            "Hire trainers",
                            "Action",
                            "ana",
                            "2026-01-05",
                            "2026-02-01",
                            "Done",
                            100,
                        ),
                    ),
                ),
            ),
            learning=ap.Learning("Quarterly", ("Who is not yet reached?",)),
        ),
        partners=(ap.PartnerLine("Works Inc", "", "Business", "Partner", ("Jobs pipeline",)),),
        signatories=(ap.Person("ana", "Owner"),),
    )
    return ap.PlanDocument(**{**doc.__dict__, **changes})  # type: ignore[arg-type]
