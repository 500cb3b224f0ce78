"""Which category, tag, feed or URL section of an outlet is which campaign column. Pure.

Matching order, first hit wins:
  1. a per-outlet override in config (the operator knows best);
  2. the column's name, then one of its aliases, compared by ``text.name_key``
     (NFC, case, spacing, tone-mark placement);
  3. the WordPress slug of the name or of an alias;
  4. the name or alias without diacritics (``text.loose_key``), only when that loose key
     belongs to one column and no term of the outlet could be *another* phrase with it:
     the keys collide ("hội" / "hỏi"), so a bare "hoi nghi" is refused on a site that also
     has "Hỏi nghị", but not on one whose every accented spelling is the column itself.

Every spelling of a column on one outlet counts (an editor who created the category twice,
"Công đoàn vì lợi ích đoàn viên" and "cong doan vi loi ich doan vien", or in another case):
each is a source of its own, with its own evidence, and an article in two of them is one
article of the column.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from auditor.text import loose_key, name_key, slugify
from auditor.types import (
    Article,
    Campaign,
    ColumnLink,
    ColumnOverride,
    ColumnSource,
    SectionSeen,
    Term,
)
from auditor.urls import canonical_url, under_prefix


def match_name(
    name: str, slug: str, campaign: Campaign, ambiguous_loose: frozenset[str] = frozenset()
) -> tuple[str, str] | None:
    """(column_id, rule) for a category/tag/section name, or None."""
    key = name_key(name)
    for column in campaign.columns:
        if key and key == name_key(column.name):
            return column.id, "name"
    for column in campaign.columns:
        if key and any(key == name_key(a) for a in column.aliases):
            return column.id, "alias"
    slug = (slug or "").strip().lower()
    for column in campaign.columns:
        if slug and slug in {slugify(n) for n in (column.name, *column.aliases)}:
            return column.id, "slug"
    loose = loose_key(name)
    if not loose or loose in ambiguous_loose:
        return None
    owners = {c.id for c in campaign.columns for n in (c.name, *c.aliases) if loose_key(n) == loose}
    if len(owners) == 1:
        return owners.pop(), "name without diacritics"
    return None


def resolve(
    campaign: Campaign, overrides: Iterable[ColumnOverride], terms: Iterable[Term]
) -> dict[str, list[ColumnSource]]:
    """Every place the outlet keeps each column, with its evidence."""
    found: dict[str, list[ColumnSource]] = defaultdict(list)
    for o in overrides:
        found[o.column_id].append(
            ColumnSource(
                o.column_id, o.kind, o.value, "config override", f"config: {o.kind} {o.value!r}"
            )
        )
    terms = list(terms)
    ambiguous = ambiguous_loose_keys([t.name for t in terms], campaign)
    seen: set[tuple[str, str, str]] = set()
    for term in terms:
        match = match_name(term.name, term.slug, campaign, ambiguous)
        if match is None or match[0] in {o.column_id for o in overrides}:
            continue
        column_id, rule = match
        ident = (column_id, term.kind, term.name)  # each spelling is its own evidence
        if ident in seen:
            continue
        seen.add(ident)
        found[column_id].append(
            ColumnSource(column_id, term.kind, term.name, rule, _term_evidence(term, rule))
        )
    return dict(found)


def with_sections(
    sources: dict[str, list[ColumnSource]],
    overrides: Iterable[ColumnOverride],
    sections: Iterable[SectionSeen],
) -> dict[str, list[ColumnSource]]:
    """Menu sections count for columns the operator has not placed by hand."""
    out = {column_id: list(ss) for column_id, ss in sources.items()}
    placed = {o.column_id for o in overrides}
    for x in sections:
        if x.column_id in placed:
            continue
        if x.url not in {s.value for s in out.get(x.column_id, [])}:
            out.setdefault(x.column_id, []).append(
                ColumnSource(x.column_id, "section", x.url, "menu link", x.evidence)
            )
    return out


def with_column_feeds(
    sources: dict[str, list[ColumnSource]], feeds: Iterable[tuple[str, str]]
) -> dict[str, list[ColumnSource]]:
    """Column feeds found while crawling (WordPress category feeds), as (URL, column id),
    are sources too; a site feed (no column id) is none."""
    out = {column_id: list(ss) for column_id, ss in sources.items()}
    for url, column_id in feeds:
        if column_id and url not in {s.value for s in out.get(column_id, [])}:
            out.setdefault(column_id, []).append(
                ColumnSource(column_id, "feed", url, "category feed", f"feed {url}")
            )
    return out


def ambiguous_loose_keys(names: Iterable[str], campaign: Campaign) -> frozenset[str]:
    """Loose keys an outlet's names (categories, tags, menu links) give to some phrase that
    is not a column's name: there a bare spelling could mean that other phrase, so it is
    not matched without diacritics."""
    columns = {name_key(n) for c in campaign.columns for n in (c.name, *c.aliases)}
    spellings: dict[str, set[str]] = defaultdict(set)
    for name in names:
        spellings[loose_key(name)].add(name_key(name))
    return frozenset(
        loose
        for loose, keys in spellings.items()
        if len(keys) > 1 and any(k != loose and k not in columns for k in keys)
    )


def _term_evidence(term: Term, rule: str) -> str:
    extra = f", slug {term.slug}" if term.slug else ""
    extra += f", id {term.term_id}" if term.term_id is not None else ""
    return f"{term.kind} {term.name!r}{extra} matched by {rule}"


def link(
    article: Article, feeds_seen_in: Iterable[str], sources: dict[str, list[ColumnSource]]
) -> list[ColumnLink]:
    """The columns one article belongs to, each with the rule that put it there."""
    names = {(t.kind, name_key(t.name)) for t in article.terms if t.name}
    slugs = {(t.kind, t.slug.lower()) for t in article.terms if t.slug}
    feeds = {canonical_url(f) for f in feeds_seen_in}
    links = []
    for column_id, column_sources in sources.items():
        for s in column_sources:
            if _belongs(article, s, names, slugs, feeds):
                links.append(ColumnLink(column_id, s.rule, f"{s.kind} {s.value!r}"))
                break
    return links


def _belongs(article: Article, source: ColumnSource, names: set, slugs: set, feeds: set) -> bool:
    if source.kind in ("category", "tag"):
        return (source.kind, name_key(source.value)) in names or (
            source.kind,
            slugify(source.value),
        ) in slugs
    if source.kind == "feed":
        return canonical_url(source.value) in feeds
    if source.kind == "url_prefix":
        return under_prefix(article.url, source.value) or canonical_url(source.value) in feeds
    if source.kind == "section":
        return canonical_url(source.value) in feeds
    return False
