"""The Upward Mobility Framework as data: pillars, predictors, metrics, variables, subgroups.

``framework.yaml`` is the single source of every id and label; :func:`get_catalog` reads and
checks it once and returns an immutable :class:`Catalog`.
"""

from upward.catalog.model import (
    ALL_LABEL,
    ALL_TYPE,
    DIRECTIONS,
    GEO_LEVELS,
    UNITS,
    Catalog,
    Citation,
    ColumnRef,
    ColumnRole,
    Direction,
    GeoLevel,
    Metric,
    Part,
    Pillar,
    Predictor,
    QualityLevel,
    SubgroupGroup,
    SubgroupType,
    Unit,
    UnknownName,
    Variable,
    VariableKind,
)
from upward.catalog.prices import PriceIndex, consumer_prices
from upward.catalog.reader import CatalogError, check_catalog, get_catalog, load_catalog

__all__ = [
    "ALL_LABEL",
    "ALL_TYPE",
    "DIRECTIONS",
    "GEO_LEVELS",
    "UNITS",
    "Catalog",
    "CatalogError",
    "Citation",
    "ColumnRef",
    "ColumnRole",
    "Direction",
    "GeoLevel",
    "Metric",
    "Part",
    "Pillar",
    "Predictor",
    "PriceIndex",
    "QualityLevel",
    "SubgroupGroup",
    "SubgroupType",
    "Unit",
    "UnknownName",
    "Variable",
    "VariableKind",
    "check_catalog",
    "consumer_prices",
    "get_catalog",
    "load_catalog",
]
