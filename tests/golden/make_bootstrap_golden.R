# Bootstrap reference for the mediation model (standard errors, percentile and bias-corrected
# CIs, and how long lavaan takes, for the bootstrap benchmark).
#
# Run from the repository root:   Rscript tests/golden/make_bootstrap_golden.R
# Writes tests/golden/hs_mediation_boot.json. Takes about half a minute.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")

hs <- read.csv(HS_CSV)
R_BOOT <- 1000L
SEED <- 1L

# Through run_lavaan: the same timing and warning capture as the other golden files.
set.seed(SEED)
run <- run_lavaan("sem", HS_MEDIATION, hs, list(se = "bootstrap", bootstrap = R_BOOT))
fit <- run$fit

key_cols <- c("lhs", "op", "rhs", "label", "est", "se", "z", "pvalue")
perc <- parameterEstimates(fit, boot.ci.type = "perc")
bca <- parameterEstimates(fit, boot.ci.type = "bca.simple")
stopifnot(identical(perc[, c("lhs", "op", "rhs")], bca[, c("lhs", "op", "rhs")]))
est <- perc[, key_cols]
est$ci.perc.lower <- perc$ci.lower
est$ci.perc.upper <- perc$ci.upper
est$ci.bca.lower <- bca$ci.lower
est$ci.bca.upper <- bca$ci.upper

boot <- lavInspect(fit, "boot")
failed <- attr(boot, "error.idx")

out <- list(
  name = "hs_mediation_boot",
  model = HS_MEDIATION,
  data = HS_CSV,
  call = sprintf("set.seed(%d); sem(model, data, se = \"bootstrap\", bootstrap = %d)", SEED,
                 R_BOOT),
  options = effective_options(fit, "sem"),
  seed = SEED,
  bootstrap = R_BOOT,
  bootstrap_ok = nrow(boot),
  bootstrap_failed = length(failed),
  # lavaan keeps non-admissible resamples (e.g. a negative variance) in its SEs and CIs.
  bootstrap_nonadmissible = length(attr(boot, "nonadmissible")),
  nobs = lavInspect(fit, "nobs"),
  converged = lavInspect(fit, "converged"),
  estimates = rows_of(est),
  ci_level = 0.95,
  elapsed_seconds = run$seconds,
  timing_note = paste("elapsed time of the whole sem() call with se = 'bootstrap' (fit and",
                      "1000 resamples), serial (lavaan's parallel = 'no' default)"),
  lavaan_warnings = run$warnings,
  lavaan_version = as.character(packageVersion("lavaan")),
  r_version = R.version.string
)
write_golden(out, "hs_mediation_boot.json")
cat(sprintf("lavaan bootstrap: %.1f s for %d resamples (%d failed, %d non-admissible)\n",
            out$elapsed_seconds, R_BOOT, out$bootstrap_failed, out$bootstrap_nonadmissible))
