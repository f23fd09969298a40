"""nnguide: the verified guide to ``torch.nn`` versus ``torch.nn.functional``.

The package holds what the guide claims, so that the claims can be tested:
pages and gallery scripts *show*, the package *holds*, the tests *verify*.
"""

from nnguide._version import __version__
from nnguide.buildinfo import BuildInfo, build_info
from nnguide.cases import Case, verification_cases
from nnguide.checkpoint import (
    CheckpointError,
    CorruptCheckpointError,
    NotAStateDictError,
    PickledObjectError,
    load_state_dict,
    save_state_dict,
)
from nnguide.claims import CLAIM_IDS, Evidence, Verdict, all_claims, run_claim
from nnguide.functional_form import NoFunctionalFormError, functional_form, supported_modules
from nnguide.models import MLP, SmallCNN, cnn_functional, mlp_functional, shapes_through
from nnguide.registry import (
    Entry,
    Tolerance,
    Unmapped,
    entry,
    public_functions,
    registry,
    registry_counts,
    unmapped_functions,
)
from nnguide.seeding import (
    cublas_check_in_library,
    seed_everything,
    seed_worker,
    seeded_generator,
    torch_checks_cublas_workspace,
)
from nnguide.summary import LayerSummary, format_summary, summary
from nnguide.verification import counts, table_rows

__all__ = [
    "CLAIM_IDS",
    "MLP",
    "BuildInfo",
    "Case",
    "CheckpointError",
    "CorruptCheckpointError",
    "Entry",
    "Evidence",
    "LayerSummary",
    "NoFunctionalFormError",
    "NotAStateDictError",
    "PickledObjectError",
    "SmallCNN",
    "Tolerance",
    "Unmapped",
    "Verdict",
    "__version__",
    "all_claims",
    "build_info",
    "cnn_functional",
    "counts",
    "cublas_check_in_library",
    "entry",
    "format_summary",
    "functional_form",
    "load_state_dict",
    "mlp_functional",
    "public_functions",
    "registry",
    "registry_counts",
    "run_claim",
    "save_state_dict",
    "seed_everything",
    "seed_worker",
    "seeded_generator",
    "shapes_through",
    "summary",
    "supported_modules",
    "table_rows",
    "torch_checks_cublas_workspace",
    "unmapped_functions",
    "verification_cases",
]
