"""Which of the directive's four kinds of outlet each one is: newspapers and magazines,
provincial federations (LĐLĐ), central sector unions (CĐ ngành) and corporate unions.

The config knows only newspaper / magazine / website, so a website is placed by its
`group` and, failing that, by its name; anything else is "other" rather than a guess.
"""

from __future__ import annotations

from auditor.text import loose_key

PROVINCIAL_GROUPS = {"ldld", "lien-doan-lao-dong", "tinh", "provincial"}
SECTOR_GROUPS = {"cd-nganh", "cdn", "nganh", "sector"}
CORPORATE_GROUPS = {"cd-tct", "tct", "tap-doan", "tong-cong-ty", "doanh-nghiep", "corporate"}
CORPORATE_WORDS = ("tap doan", "tong cong ty")


def family(kind: str, group: str, name: str) -> str:
    if kind in ("newspaper", "magazine"):
        return "press"
    g = loose_key(group).replace(" ", "-")
    n = loose_key(name)
    if g in CORPORATE_GROUPS or any(w in n for w in CORPORATE_WORDS):
        return "corporate"
    if g in PROVINCIAL_GROUPS or n.startswith(("ldld", "lien doan lao dong")):
        return "provincial"
    if g in SECTOR_GROUPS or n.startswith("cong doan "):
        return "sector"
    return "other"
