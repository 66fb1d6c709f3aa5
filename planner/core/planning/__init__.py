"""Planning a week: from commitments, candidates and rules to a plan that says why.

- :mod:`.week`: everything one week's plan needs, read from the user's sources;
- :mod:`.plan`: single-event checks, the solve, the explanations, evenings chained;
- :mod:`.rules`: each weekly rule once, as an object that checks an option, adds itself
  to the CP-SAT model and explains itself (the solver, the explanations and the
  baseline in benchmarks/ all iterate over :func:`~.rules.weekly_rules`);
- :mod:`.options`: what the solver chooses among (:class:`~.options.Option`) and the limits;
- :mod:`.optimiser`: the CP-SAT model built from the rules, and the solve;
- :mod:`.cp_sat`: importing OR-Tools off the start-up path, without pandas;
- :mod:`.quotas`: how much of each allowance a plan uses (the budget bars);
- :mod:`.report`: a plan as JSON (the CLI contract) and as a terminal table.
- :mod:`.what_changed`: two plans of a week compared (newly proposed, left out with the
  rule in words, moved), said in one sentence led by the cause.

May import: planner.core.calendars and everything below it (text, travel, settings,
model, logs). Never storage (a sibling), the session or anything above.
"""
