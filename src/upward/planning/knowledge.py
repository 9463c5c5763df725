"""The vocabulary of local knowledge (the planning guide's Steps 5 and 6): engagements,
the engagement spectrum, participant demographics, the systems-change conditions that
qualitative findings are coded with, local data and elected officials.

Each vocabulary is an ordered tuple of (id, label); ids are stored, labels are shown.
Race and ethnicity groups are the four for which Urban publishes residents' shares (the
descriptive-representation file), so participants and officials compare with residents
group by group.
"""

from __future__ import annotations

Choice = tuple[str, str]

ENGAGEMENT_KINDS: tuple[Choice, ...] = (
    ("listening_session", "Listening session"),
    ("focus_group", "Focus group"),
    ("data_walk", "Data walk"),
    ("survey", "Survey"),
    ("interview", "Interview"),
    ("town_hall", "Town hall"),
    ("advisory_meeting", "Advisory meeting"),
    ("other", "Other"),
)

ENGAGEMENT_LEVELS: tuple[Choice, ...] = (
    ("inform", "Inform"),
    ("consult", "Consult"),
    ("involve", "Involve"),
    ("collaborate", "Collaborate"),
    ("defer", "Defer to the community"),
)
"""The engagement spectrum, from sharing information to handing decisions over."""

LEVEL_MEANINGS: dict[str, str] = {
    "inform": "The coalition shares information; residents hear what is planned.",
    "consult": "Residents are asked for feedback, and the coalition decides.",
    "involve": "Residents' concerns shape the options the coalition weighs.",
    "collaborate": "Residents and the coalition decide together.",
    "defer": "Residents decide, and the coalition carries out what they choose.",
}

RACE_GROUPS: tuple[Choice, ...] = (
    ("black_nonhispanic", "Black, non-Hispanic"),
    ("hispanic", "Hispanic"),
    ("white_nonhispanic", "White, non-Hispanic"),
    ("other", "Other races and ethnicities"),
)
"""The groups Urban publishes residents' shares for (``share_desc_rep_<id>``)."""

RESIDENT_SHARE_VARIABLE: dict[str, str] = {
    group: f"share_desc_rep_{group}" for group, _label in RACE_GROUPS
}
RESIDENT_SHARE_METRIC = "descriptive_representation"

AGE_GROUPS: tuple[Choice, ...] = (
    ("under_18", "Under 18"),
    ("18_24", "18 to 24"),
    ("25_44", "25 to 44"),
    ("45_64", "45 to 64"),
    ("65_over", "65 and over"),
)

LIVED_EXPERIENCE: tuple[Choice, ...] = (
    ("yes", "Lived experience of poverty"),
    ("no", "No lived experience of poverty reported"),
)

NOT_REPORTED = "not_reported"
"""The demographic bucket for participants who did not say (kept out of shares)."""

DEMOGRAPHIC_DIMENSIONS: tuple[tuple[str, str, tuple[Choice, ...]], ...] = (
    ("race", "Race and ethnicity", RACE_GROUPS),
    ("age", "Age group", AGE_GROUPS),
    ("lived_experience", "Lived experience of poverty", LIVED_EXPERIENCE),
)
"""``Engagement.demographics`` is ``{dimension: {group id or NOT_REPORTED: count}}``."""

SYSTEMS_CONDITIONS: tuple[Choice, ...] = (
    ("policies", "Policies"),
    ("practices", "Practices"),
    ("resource_flows", "Resource flows"),
    ("relationships", "Relationships and connections"),
    ("power_dynamics", "Power dynamics"),
    ("mental_models", "Mental models"),
)
"""The six conditions of systems change that findings are coded with."""

CODE_KINDS: tuple[Choice, ...] = (
    ("predictor", "Predictor"),
    ("condition", "Condition of systems change"),
    ("custom", "Coalition's own code"),
)

NOTE_KINDS: tuple[Choice, ...] = (
    ("notes", "Notes"),
    ("transcript", "Transcript"),
    ("interview", "Stakeholder interview"),
    ("community_input", "Community input"),
    ("other", "Other"),
)

LOCAL_QUALITY: tuple[Choice, ...] = (
    ("strong", "Strong"),
    ("marginal", "Marginal"),
    ("weak", "Weak"),
)

LOCAL_GEOGRAPHY_KINDS: tuple[Choice, ...] = (
    ("place", "One of the workspace's places"),
    ("tract", "Census tract"),
    ("zip", "ZIP code"),
    ("neighborhood", "Named neighborhood"),
    ("other", "Other area"),
)

DIRECTIONS: tuple[Choice, ...] = (
    ("higher_better", "Higher is better"),
    ("lower_better", "Lower is better"),
    ("context", "Neither: context"),
)

IDENTITY_SOURCES: tuple[Choice, ...] = (
    ("self", "Self-identified"),
    ("public", "Publicly reported"),
    ("unknown", "Unknown"),
)

INPUT_STATUSES: tuple[Choice, ...] = (
    ("pending", "Waiting for review"),
    ("accepted", "Made a finding"),
    ("rejected", "Set aside"),
)
