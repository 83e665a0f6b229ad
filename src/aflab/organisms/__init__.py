"""Model organisms: synthetic documents that teach the training facts, and LoRA fine-tuning.

The route of the synthetic-document experiments: write documents of many kinds that convey a
setting's training facts (`generate_documents`, an Inspect task, screened by the fact
checklist or a judge and deduplicated), fine-tune an open model on them with TRL and PEFT
(`finetune`, in the optional `organisms` extra), then evaluate the adapter with the variant
`facts=none`, which leaves the training facts out of the system prompt.
"""

from aflab.organisms._config import (
    DEFAULT_CONFIG,
    ConfigError,
    FinetuneConfig,
    LoraSettings,
    TrainingSettings,
    load_config,
)
from aflab.organisms._curve import TrainingCurve, curve_from_log_history
from aflab.organisms._dedupe import Duplicate, find_near_duplicates, jaccard, shingles
from aflab.organisms._documents import Document, DocumentsError, read_documents, write_documents
from aflab.organisms._estimate import DocumentsEstimate, estimate_documents
from aflab.organisms._extra import MissingExtraError, require_extra
from aflab.organisms._finetune import FinetuneResult, finetune
from aflab.organisms._generate import GenerationResult, generate_documents
from aflab.organisms._kinds import DOCUMENT_KINDS, VOICES, DocumentKind, kind_names
from aflab.organisms._prompt import document_prompt, judge_prompt, parse_judgement
from aflab.organisms._report import ORGANISM_RECORD, organism_records, organism_section
from aflab.organisms._task import document_filter, select_facts, synthetic_documents
from aflab.organisms._toy import make_toy_base

__all__ = [
    "DEFAULT_CONFIG",
    "DOCUMENT_KINDS",
    "ORGANISM_RECORD",
    "VOICES",
    "ConfigError",
    "Document",
    "DocumentKind",
    "DocumentsError",
    "DocumentsEstimate",
    "Duplicate",
    "FinetuneConfig",
    "FinetuneResult",
    "GenerationResult",
    "LoraSettings",
    "MissingExtraError",
    "TrainingCurve",
    "TrainingSettings",
    "curve_from_log_history",
    "document_filter",
    "document_prompt",
    "estimate_documents",
    "find_near_duplicates",
    "finetune",
    "generate_documents",
    "jaccard",
    "judge_prompt",
    "kind_names",
    "load_config",
    "make_toy_base",
    "organism_records",
    "organism_section",
    "parse_judgement",
    "read_documents",
    "require_extra",
    "select_facts",
    "shingles",
    "synthetic_documents",
    "write_documents",
]
