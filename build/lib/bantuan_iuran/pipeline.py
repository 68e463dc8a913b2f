"""The stages as the command line runs them: read inputs, call the pure stage, write the work
folder, its manifest and its ledger. No printing here; callers render what comes back,
warnings included. Each stage lives in stages/; this module gathers what callers use."""

from bantuan_iuran.stages.common import CORRECTIONS, INGESTED, INTERMEDIATE, REPORT, VALIDATED
from bantuan_iuran.stages.ingest import IngestOutcome, ingest_stage
from bantuan_iuran.stages.report import ReportOptions, ReportOutcome, eligible_list, report_stage
from bantuan_iuran.stages.validate import PendingWorkbooks, ValidateOutcome, validate_stage
from bantuan_iuran.stages.workfolder import decision_history, purge

__all__ = [
    "CORRECTIONS",
    "INGESTED",
    "INTERMEDIATE",
    "REPORT",
    "VALIDATED",
    "IngestOutcome",
    "PendingWorkbooks",
    "ReportOptions",
    "ReportOutcome",
    "ValidateOutcome",
    "decision_history",
    "eligible_list",
    "ingest_stage",
    "purge",
    "report_stage",
    "validate_stage",
]
