"""Importing OR-Tools' CP-SAT without paying for pandas.

``ortools.sat.python.cp_model`` imports pandas (~0.2 s of the ~0.3 s it
takes to import) only to name ``pd.Index`` and ``pd.Series`` in type hints and
in the ``*_series`` helpers, which planner never calls. For a command that
plans once and exits (``planner plan`` must answer in under a second), that is
the biggest single cost, so while cp_model is imported a stand-in module
answers for pandas, and it is removed again at once: later imports of pandas
anywhere in the process get the real one. If the stand-in is ever not enough
(a future OR-Tools touching more of pandas at import time), the import is
simply retried with the real pandas.
"""

from __future__ import annotations

import logging
import sys
import types
from typing import TYPE_CHECKING

from planner.core.logs import log_failure

if TYPE_CHECKING:
    from types import ModuleType

_log = logging.getLogger(__name__)


def _stand_in() -> ModuleType:
    module = types.ModuleType("pandas", "planner's stand-in while cp_model is imported")

    class Index:  # isinstance(x, pd.Index) is false for everything planner passes
        pass

    class Series:
        pass

    module.Index = Index  # type: ignore[attr-defined]
    module.Series = Series  # type: ignore[attr-defined]
    return module


def cp_model() -> ModuleType:
    """The ``ortools.sat.python.cp_model`` module, imported once, without pandas if possible."""
    name = "ortools.sat.python.cp_model"
    if name in sys.modules:
        return sys.modules[name]
    if "pandas" in sys.modules:  # someone already paid for it
        from ortools.sat.python import cp_model as module

        return module
    stand_in = sys.modules["pandas"] = _stand_in()
    try:
        from ortools.sat.python import cp_model as module
    except Exception as exc:  # the stand-in was not enough: import with the real pandas
        log_failure(_log, "importing CP-SAT with a stand-in pandas", exc)
        sys.modules.pop(name, None)
        del sys.modules["pandas"]
        from ortools.sat.python import cp_model as module
    finally:
        if sys.modules.get("pandas") is stand_in:
            del sys.modules["pandas"]
    return module
