"""Evaluation, moderation, results and award of a tender.

Implements "Consistent evaluation and marking" of the Social Value Strategy 2024-28:

1. After the deadline, with the tender closed, each member of the tender's panel scores
   every qualitative response on the quality profile (0 to 5) with a justification
   (``score_record``). Scoring is independent: until an evaluator submits their scores
   (``scores_submit``) they can change them, and they see nobody else's.
2. When every panel member has submitted, the moderator (or the organisation's social
   value lead) records one consensus score per response with its rationale
   (``consensus_record``); the tender is then marked evaluated
   (``procurement.services.tender_mark_evaluated``).
3. ``tender_results`` scores the stored bids with the pure engine in ``procurement/scoring/``.
4. ``tender_award`` turns the highest-ranked bid into a contract whose targets are its
   counted commitments (the contracts app creates it on the ``tender_awarded`` signal,
   ``signals.py``); the other bids close as unsuccessful.

Where things are: ``selectors.py`` (reads of the panel, its scores and progress),
``services.py`` (scoring, submitting, moderating and the award), ``results.py`` (the offers
through the scoring engine, and debriefs), ``forms.py`` and the pages in ``views.py``
(scoring and moderation), ``outcome_views.py`` (results, comparison, report, award and
debrief) with what they share in ``pages.py``; the evaluation report is ``reports.py``.
"""
