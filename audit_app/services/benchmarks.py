"""Peer benchmarks (issue 16): who the peers are, and their scores as SQL aggregates.

The peer group of an audit: organisations of the same type (optionally the same size
band and sector) that consented (`benchmark_consent`), neither they nor the audit
deleted, the organisation itself never counted; of each, the latest submitted audit of
the same questionnaire id. The database returns only counts per 5-point cell (overall
and per area), never a peer's score; `domain.benchmark` turns them into what may be
published. Rules and their proofs: docs/benchmarks-and-campaigns.md.

Other versions of the questionnaire: a peer answered on another version counts on the
questions both versions share, scored as the comparison of two audits scores them
(services/benchmark_versions.py); the result says which version it is about and how
many peers were on another.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import Integer, String, cast, func, literal, select, union_all

from audit_app.domain.benchmark import (
    AnonymitySettings,
    BenchmarkFacts,
    PeerBenchmark,
    distribution_from_cells,
)
from audit_app.domain.benchmark_view import benchmark_view
from audit_app.domain.questionnaire import Questionnaire
from audit_app.domain.scoring import to_json
from audit_app.extensions import db
from audit_app.models import Audit, Organisation
from audit_app.models.audits import AuditSectionScore, QuestionnaireVersion
from audit_app.models.live import INCLUDE_DELETED
from audit_app.services import benchmark_versions, section_scores
from audit_app.services.audits import current_result, questionnaire_for
from audit_app.services.questionnaires import questionnaire_of
from audit_app.wording import translator


@dataclass(frozen=True)
class PeerGroup:
    questionnaire_id: str
    organisation_type: str
    size: str | None = None
    sector: str | None = None
    exclude_organisation_id: int | None = None
    # Only these organisations (e.g. a campaign's members), when given.
    members: frozenset[int] | None = None


def anonymity_settings() -> AnonymitySettings:
    return AnonymitySettings.from_config(current_app.config.get("BENCHMARK_MIN_PEERS", 5))


def _cell(column: Any, step: int) -> Any:
    """The cell index floor(score / step + 0.5), exactly as `domain.benchmark.coarsen`
    computes it: SQLite's CAST truncates (scores are never negative), PostgreSQL's rounds."""
    shifted = column / float(step) + 0.5
    if db.session.get_bind().dialect.name == "sqlite":
        return cast(shifted, Integer)
    return cast(func.floor(shifted), Integer)


def latest_peer_audits(group: PeerGroup, *, as_cte: bool = False) -> Any:
    """Subquery (audit_id, version_id, overall): each peer's latest submitted audit
    (a CTE with `as_cte`, so one statement can read it twice yet rank once).

    Deleted organisations and audits are left out here, explicitly, so the statements
    reading it skip models/live.py's general criteria (INCLUDE_DELETED), which would
    add a NOT IN (deleted organisations) to every audit row ranked."""
    rank = (
        func.row_number()
        .over(
            partition_by=Audit.organisation_id,
            order_by=(Audit.submitted_at.desc(), Audit.id.desc()),
        )
        .label("rank")
    )
    query = (
        select(
            Audit.id.label("audit_id"),
            Audit.questionnaire_version_id.label("version_id"),
            Audit.overall.label("overall"),
            rank,
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Audit.questionnaire_version_id)
        .join(Organisation, Organisation.id == Audit.organisation_id)
        .where(
            QuestionnaireVersion.questionnaire_id == group.questionnaire_id,
            Audit.status == "submitted",
            Audit.deleted_at.is_(None),
            Organisation.type == group.organisation_type,
            Organisation.benchmark_consent.is_(True),
            Organisation.deleted_at.is_(None),
        )
    )
    if group.size:
        query = query.where(Organisation.size == group.size)
    if group.sector:
        query = query.where(Organisation.sector == group.sector)
    if group.members is not None:
        query = query.where(Organisation.id.in_(sorted(group.members)))
    if group.exclude_organisation_id is not None:
        query = query.where(Organisation.id != group.exclude_organisation_id)
    ranked = query.subquery("ranked")
    latest = select(ranked.c.audit_id, ranked.c.version_id, ranked.c.overall).where(
        ranked.c.rank == 1
    )
    return latest.cte("latest") if as_cte else latest.subquery("latest")


def _cell_counts(group: PeerGroup, step: int) -> list[Any]:
    """One statement (the peers ranked once): rows (version_id, section_id, cell, count)
    - section_id None for the overall score, cell None for a missing score."""
    latest = latest_peer_audits(group, as_cte=True)
    overall_cell = _cell(latest.c.overall, step)
    overall = select(
        latest.c.version_id,
        literal(None, String).label("section_id"),
        overall_cell.label("cell"),
        func.count().label("count"),
    ).group_by(latest.c.version_id, overall_cell)
    area_cell = _cell(AuditSectionScore.score, step)
    areas = (
        select(
            latest.c.version_id,
            AuditSectionScore.section_id,
            area_cell.label("cell"),
            func.count().label("count"),
        )
        .join(AuditSectionScore, AuditSectionScore.audit_id == latest.c.audit_id)
        .group_by(latest.c.version_id, AuditSectionScore.section_id, area_cell)
    )
    statement = union_all(overall, areas)
    return list(db.session.execute(statement, execution_options=INCLUDE_DELETED).all())


def _rows_missing(rows: list[Any]) -> bool:
    """Whether some peer audit has no area rows yet. Every audit of one version has a
    row for each of the version's areas (a missing score is a row with no score), so
    an area counting fewer audits than the version has peers means rows are missing."""
    peers: dict[int, int] = defaultdict(int)
    per_area: dict[tuple[int, str], int] = defaultdict(int)
    for version_id, section_id, _cell_index, count in rows:
        if section_id is None:
            peers[version_id] += count
        else:
            per_area[(version_id, section_id)] += count
    counted = {version_id for version_id, _ in per_area}
    return any(version_id not in counted for version_id in peers) or any(
        count < peers[version_id] for (version_id, _), count in per_area.items()
    )


def _backfill_missing(latest: Any) -> None:
    """Area rows for peers submitted before the table existed (see section_scores)."""
    missing = select(latest.c.audit_id).where(
        ~select(AuditSectionScore.audit_id)
        .where(AuditSectionScore.audit_id == latest.c.audit_id)
        .exists()
    )
    ids = list(db.session.scalars(missing, execution_options=INCLUDE_DELETED))
    if ids:
        section_scores.backfill(ids)


def _peer_versions(
    reference: QuestionnaireVersion, reference_questionnaire: Questionnaire, version_ids: set[int]
) -> tuple[set[int], set[int]]:
    """(versions whose peers count with their stored scores, versions to re-score)."""
    stored, rescore = set(), set()
    for version_id in version_ids:
        other = db.session.get(QuestionnaireVersion, version_id)
        if version_id == reference.id or (
            other is not None
            and benchmark_versions.uses_stored_scores(
                reference_questionnaire, questionnaire_of(other)
            )
        ):
            stored.add(version_id)
        else:
            rescore.add(version_id)
    return stored, rescore


def _rescored_cells(
    group: PeerGroup, reference: Questionnaire, versions: set[int], step: int
) -> tuple[dict[int, int], dict[str, dict[int, int]]]:
    if not versions:
        return {}, {}
    latest = latest_peer_audits(group)
    ids = db.session.scalars(
        select(latest.c.audit_id).where(latest.c.version_id.in_(versions)),
        execution_options=INCLUDE_DELETED,
    )
    return benchmark_versions.rescored_cells(ids, reference, step)


def benchmark(
    group: PeerGroup,
    reference: QuestionnaireVersion,
    own_overall: float | None = None,
    own_areas: dict[str, float | None] | None = None,
) -> BenchmarkFacts:
    """The anonymised benchmark of `group`, about the questionnaire version `reference`."""
    settings = anonymity_settings()
    rows = _cell_counts(group, settings.step)
    if _rows_missing(rows):
        _backfill_missing(latest_peer_audits(group))
        rows = _cell_counts(group, settings.step)
    overall_rows = [(v, cell, count) for v, section, cell, count in rows if section is None]
    area_rows = [
        (v, section, cell, count)
        for v, section, cell, count in rows
        if section and cell is not None
    ]
    peers_by_version: dict[int, int] = defaultdict(int)
    for version_id, _cell_index, count in overall_rows:
        peers_by_version[version_id] += count
    reference_questionnaire = questionnaire_of(reference)
    stored, rescore = _peer_versions(reference, reference_questionnaire, set(peers_by_version))
    reference_areas = {s.id for s in reference_questionnaire.sections}
    overall_cells, area_cells = _rescored_cells(
        group, reference_questionnaire, rescore, settings.step
    )
    for version_id, cell_index, count in overall_rows:
        if cell_index is not None and version_id in stored:
            cell = cell_index * settings.step
            overall_cells[cell] = overall_cells.get(cell, 0) + count
    for version_id, section_id, cell_index, count in area_rows:
        if version_id in stored and section_id in reference_areas:
            cells = area_cells.setdefault(section_id, {})
            cell = cell_index * settings.step
            cells[cell] = cells.get(cell, 0) + count
    own = own_areas or {}
    areas = {}
    for section_id, cells in area_cells.items():
        found = distribution_from_cells(cells, settings, own.get(section_id))
        if found is not None:
            areas[section_id] = found
    return BenchmarkFacts(
        questionnaire_id=group.questionnaire_id,
        version=reference.version,
        organisation_type=group.organisation_type,
        size=group.size,
        sector=group.sector,
        peers=sum(peers_by_version.values()),
        same_version=peers_by_version.get(reference.id, 0),
        benchmark=PeerBenchmark(
            overall=distribution_from_cells(overall_cells, settings, own_overall), areas=areas
        ),
        min_peers=settings.effective_min_peers,
    )


def benchmark_for_audit(
    audit: Audit, *, same_size: bool = False, same_sector: bool = False
) -> BenchmarkFacts:
    """The benchmark an audit's results show: peers of its organisation's type."""
    organisation = audit.organisation
    group = PeerGroup(
        questionnaire_id=audit.questionnaire_version.questionnaire_id,
        organisation_type=organisation.type,
        size=organisation.size if same_size else None,
        sector=organisation.sector if same_sector else None,
        exclude_organisation_id=organisation.id,
    )
    result = current_result(audit)
    own_areas = {s.section_id: s.percent for s in result.sections}
    return benchmark(group, audit.questionnaire_version, result.overall, own_areas)


def reference_version(questionnaire_id: str) -> QuestionnaireVersion | None:
    """The version a benchmark without an audit is about: the newest stored one."""
    return db.session.scalars(
        select(QuestionnaireVersion)
        .where(QuestionnaireVersion.questionnaire_id == questionnaire_id)
        .order_by(QuestionnaireVersion.stored_at.desc(), QuestionnaireVersion.id.desc())
        .limit(1)
    ).first()


def benchmark_document(
    audit: Audit, lang: str, *, same_size: bool = False, same_sector: bool = False
) -> dict[str, Any]:
    """The API's benchmark JSON: the result model's `BenchmarkView` (the same builder,
    narrowed to the organisation's size band or sector when asked) and the group."""
    facts = benchmark_for_audit(audit, same_size=same_size, same_sector=same_sector)
    view = benchmark_view(facts, questionnaire_for(audit), current_result(audit), translator(lang))
    return {
        "audit_id": audit.id,
        "lang": lang,
        "group": {
            "questionnaire_id": facts.questionnaire_id,
            "version": facts.version,
            "organisation_type": facts.organisation_type,
            "size": facts.size,
            "sector": facts.sector,
            "peers": facts.peers,
            "same_version": facts.same_version,
            "min_peers": facts.min_peers,
        },
        "benchmark": to_json(view),
    }
