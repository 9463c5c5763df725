"""The release facade: one object per loaded release, between the library and its callers.

``upward.explore`` sits above ``data``, ``analysis`` and ``reports`` and below ``web`` and
``cli`` (tests/test_layers.py). The web app, the API, the command line and the documents
read releases only through it:

* :class:`Release` (``Release.open()`` for a command; :func:`current` in a web process):
  places validated once (:meth:`Release.place`, :meth:`Release.find_place`), the profile
  tree, series, peers, comparisons, disparities, trends, insights and the Data Review
  Guide, and the one cache of the release (:meth:`Release.keep`, :meth:`Release.invalidate`);
* :mod:`upward.explore.peer_choice`: the one parser of a peer method (:func:`peer_method`,
  :func:`read_method`, :func:`read_choice`), with its bounds and its error;
* :mod:`upward.explore.errors`: every error, typed;
* :mod:`upward.explore.holder`: which release a process answers from, followed across a
  switch (:func:`current`, :func:`serving`, :func:`use_release`, :func:`reset`);
* :mod:`upward.explore.library`: loading, listing, switching and comparing releases;
* the data types the callers name (:class:`Geography`, :class:`Observation`, ...).
"""

from __future__ import annotations

from upward.analysis.peer_set import PeerSet
from upward.analysis.peers import PeerMethod, PeerResult
from upward.data.city_county import CityCounty
from upward.data.context import CONTEXT_NUMBERS, NATION, Benchmark, PlaceContext, Standing
from upward.data.contract import parse_ratio_pair
from upward.data.distribution import (
    LEVEL_WORDS,
    Bin,
    Coverage,
    Overview,
    PlaceValue,
    Selection,
    Spread,
    StateSpread,
    Summary,
)
from upward.data.model import (
    Geography,
    Observation,
    OtherValue,
    PillarSection,
    PredictorSection,
    Profile,
    ProfileEntry,
    ReleaseInfo,
)
from upward.data.revision import TOLERANCE as REVISION_TOLERANCE
from upward.data.state_table import StateValue
from upward.data.universe import STATES
from upward.data.warehouse import CITATION, FIPS_WIDTH, check_place_code
from upward.explore.cache import ReleaseCache
from upward.explore.errors import (
    DATA_NOT_LOADED,
    AmbiguousPlace,
    BadPlaceCode,
    InvalidChoice,
    PeerChoiceError,
    PlaceError,
    PlaceNotFound,
    RegistryError,
    ReleaseMissing,
    ReleaseOutdated,
    UnknownName,
    UnknownRelease,
    WarehouseMissing,
)
from upward.explore.holder import (
    chosen_release,
    current,
    forget,
    held,
    named_release,
    reset,
    serving,
    use_release,
)
from upward.explore.peer_choice import (
    BANDS,
    MAX_WEIGHT,
    PeerChoice,
    chosen_set,
    edit_set,
    peer_method,
    read_choice,
    read_method,
    read_set,
)
from upward.explore.release import Release
from upward.reports.place_analysis import PlaceAnalysis
from upward.reports.review_guide import ReviewGuide

__all__ = [
    "BANDS",
    "CITATION",
    "CONTEXT_NUMBERS",
    "DATA_NOT_LOADED",
    "FIPS_WIDTH",
    "LEVEL_WORDS",
    "MAX_WEIGHT",
    "NATION",
    "REVISION_TOLERANCE",
    "STATES",
    "AmbiguousPlace",
    "BadPlaceCode",
    "Benchmark",
    "Bin",
    "CityCounty",
    "Coverage",
    "Geography",
    "InvalidChoice",
    "Observation",
    "OtherValue",
    "Overview",
    "PeerChoice",
    "PeerChoiceError",
    "PeerMethod",
    "PeerResult",
    "PeerSet",
    "PillarSection",
    "PlaceAnalysis",
    "PlaceContext",
    "PlaceError",
    "PlaceNotFound",
    "PlaceValue",
    "PredictorSection",
    "Profile",
    "ProfileEntry",
    "RegistryError",
    "Release",
    "ReleaseCache",
    "ReleaseInfo",
    "ReleaseMissing",
    "ReleaseOutdated",
    "ReviewGuide",
    "Selection",
    "Spread",
    "Standing",
    "StateSpread",
    "StateValue",
    "Summary",
    "UnknownName",
    "UnknownRelease",
    "WarehouseMissing",
    "check_place_code",
    "chosen_release",
    "chosen_set",
    "current",
    "edit_set",
    "forget",
    "held",
    "named_release",
    "parse_ratio_pair",
    "peer_method",
    "read_choice",
    "read_method",
    "read_set",
    "reset",
    "serving",
    "use_release",
]
