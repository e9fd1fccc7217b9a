"""The candidacy tables, one module per concern; every model and choice is importable from here."""

from .bounds import COUNT_MAX, SEATS_MAX, count_validators, seats_validators
from .documents import Document, DocumentCheck, DocumentRequirement, DocumentScope
from .elections import Election, ElectionAreaDpt, ElectionType, Stage, StageExtension, StageWindow
from .outages import HealthProbe, Outage, OutageStatus
from .pairs import (
    CANDIDATE_FIELDS,
    Candidate,
    CandidatePair,
    CandidateRole,
    PairStatus,
    PairStatusChange,
    Path,
    Sex,
    SupportStatus,
)
from .parties import Nomination, Party, PartyAdmin, PartyConfirmation, PartyResult
from .regulation import BandScope, PartyRule, RegulationVersion, ThresholdBand
from .responses import PublicResponse, ResponseOutcome, ResponseStatus

__all__ = [
    "CANDIDATE_FIELDS",
    "COUNT_MAX",
    "SEATS_MAX",
    "BandScope",
    "Candidate",
    "CandidatePair",
    "CandidateRole",
    "Document",
    "DocumentCheck",
    "DocumentRequirement",
    "DocumentScope",
    "Election",
    "ElectionAreaDpt",
    "ElectionType",
    "HealthProbe",
    "Nomination",
    "Outage",
    "OutageStatus",
    "PairStatus",
    "PairStatusChange",
    "Party",
    "PartyAdmin",
    "PartyConfirmation",
    "PartyResult",
    "PartyRule",
    "Path",
    "PublicResponse",
    "RegulationVersion",
    "ResponseOutcome",
    "ResponseStatus",
    "Sex",
    "Stage",
    "StageExtension",
    "StageWindow",
    "SupportStatus",
    "ThresholdBand",
    "count_validators",
    "seats_validators",
]
