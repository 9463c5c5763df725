"""When two names are the same name: the one rule for names unique in a workspace.

Stakeholders, workgroups and peer sets must have distinct names within a workspace. Two
names are the same when their :func:`name_key` is: Unicode compatibility normalization
(NFKC), full case folding (so "Straße" is "STRASSE" and "ÉCOLE" is "école"), and runs
of white space collapsed to one space. The check on the form, the CSV import and the
database's unique constraint (on the stored key) all use it, so SQLite and PostgreSQL
agree. Case folding keeps the dot of a dotted capital I ("İstanbul" is not "istanbul"),
as Unicode's caseless matching does; accents are kept ("José" is not "Jose").
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    return " ".join(folded.split())
