"""Tender scoring: the social value marks of every bid, by the evaluation methodology.

Implements "Consistent evaluation and marking" of the Social Value Strategy 2024-28 (the
quantitative "what" and the qualitative "how") as the design's evaluation methodology:

- W is the social value weighting (% of the tender's marks); the quantitative marks are
  Q = W × s / 100 for a quantitative share s, and the qualitative marks L = W − Q.
- A commitment is worth v = quantity × proxy value (0 when the measure has no proxy). Its
  quality score q (0 to 5) is the consensus score of its qualitative response, 0 when there
  is none. It counts towards the quantitative value only if q ≥ d, the deliverability
  threshold; otherwise it is listed as excluded, with the reason.
- Offered value = Σ v over all commitments; counted value V = Σ v over counted ones.
- The metric is V (basis ``value``) or V / price (basis ``sv_add``). Quantitative score =
  Q × metric / the best metric of all bids, 0 for every bid when the best is 0.
- Qualitative score = L × mean q over all the bid's commitments / 5, 0 without commitments.
- Total = quantitative + qualitative; SV Add % = V / price × 100.

Everything here is a plain function on plain values: the tender pages score stored bids
with it and ``POST /api/v1/score`` scores bids sent to it; nothing reads the database.

Exactness: values are sums of exact products. Each score is worked out as one fraction of
exact products and divided once, to 60 significant digits, truncated. Truncation never
carries a figure across a half-penny boundary, so rounding it half-up to 2 decimal places
(``present.present``, ``round_2dp``) gives exactly what rounding the true fraction would
give. The best metric is found by cross-multiplying (V₁ × price₂ against V₂ × price₁),
never by comparing rounded quotients. Nothing is rounded until it is shown.

Where things are: ``model.py`` (parameters, inputs, results, problems and messages),
``engine.py`` (``score_bids``) and ``present.py`` (the scores rounded for display); the
``POST /api/v1/score`` endpoint is ``procurement/scoring_api.py``.
"""
