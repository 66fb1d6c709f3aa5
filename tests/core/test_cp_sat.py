"""CP-SAT is imported without pandas, and the real pandas is untouched by it."""

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_cp_model_imports_without_pandas_and_solves():
    out = run(
        """
        import sys
        from planner.core.planning import cp_sat
        cp_model = cp_sat.cp_model()
        model = cp_model.CpModel()
        a, b = model.new_bool_var("a"), model.new_bool_var("b")
        model.add(a + b <= 1)
        model.maximize(2 * a + 3 * b)
        solver = cp_model.CpSolver()
        assert solver.solve(model) == cp_model.OPTIMAL
        print(solver.value(a), solver.value(b), "pandas" in sys.modules)
        """
    )
    assert out == "0 1 False"


def test_real_pandas_is_imported_normally_afterwards():
    out = run(
        """
        from planner.core.planning import cp_sat
        cp_sat.cp_model()
        import pandas
        print(hasattr(pandas, "DataFrame"), pandas.Series([1, 2]).sum())
        """
    )
    assert out == "True 3"


def test_an_import_that_needs_more_of_pandas_falls_back_to_the_real_one():
    out = run(
        """
        import sys
        from planner.core.planning import cp_sat
        real = cp_sat._stand_in
        def thinner():
            module = real()
            del module.Series  # as if cp_model needed something the stand-in lacks
            return module
        cp_sat._stand_in = thinner
        cp_model = cp_sat.cp_model()
        print(cp_model.CpModel is not None, hasattr(sys.modules["pandas"], "DataFrame"))
        """
    )
    assert out == "True True"
