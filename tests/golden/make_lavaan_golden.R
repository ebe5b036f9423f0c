# Golden results from R lavaan for the CB-SEM engine tests.
#
# Run from the repository root:   Rscript tests/golden/make_lavaan_golden.R
# Writes tests/golden/<case>.json (one per case below) and tests/golden/data/hs_missing10.csv.
# Every JSON holds the model, the data path, the options lavaan used, and lavaan's own output:
# parameterEstimates(standardized = TRUE), fitMeasures (all), R^2, implied / residual matrices,
# and the full parameter table.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")

# ---- one case -> one JSON ------------------------------------------------------------------

golden_case <- function(name, model, data_path, data, fun, call_args = list(), notes = NULL) {
  run <- run_lavaan(fun, model, data, call_args)
  fit <- run$fit
  fm <- fitMeasures(fit)
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  pe <- pe[, c("lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "ci.lower", "ci.upper",
               "std.lv", "std.all", "std.nox")]
  pt <- parTable(fit)
  pt <- pt[, c("id", "lhs", "op", "rhs", "user", "free", "ustart", "exo", "label", "plabel",
               "est", "se")]
  implied <- fitted(fit)
  resid_raw <- resid(fit, type = "raw")
  resid_cor <- resid(fit, type = "cor")
  sampstat <- lavInspect(fit, "sampstat")

  out <- list(
    name = name,
    model = model,
    data = data_path,
    call = call_string(fun, call_args),
    call_args = if (length(call_args)) call_args else structure(list(), names = character(0)),
    options = effective_options(fit, fun),
    nobs = lavInspect(fit, "nobs"),
    npar = unname(fm[["npar"]]),
    n_free = lavInspect(fit, "npar"),
    df = unname(fm[["df"]]),
    converged = lavInspect(fit, "converged"),
    estimates = rows_of(pe),
    fit = named_dict(fm),
    r2 = named_dict(lavInspect(fit, "r2")),
    implied_cov = matrix_dict(implied$cov),
    resid_cov = matrix_dict(resid_raw$cov),
    resid_cor = matrix_dict(resid_cor$cov),
    sample_cov = matrix_dict(sampstat$cov),
    partable = rows_of(pt),
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_seconds = run$seconds,
    lavaan_warnings = run$warnings
  )
  if (!is.null(implied$mean)) {
    out$implied_mean <- named_dict(implied$mean)
    out$resid_mean <- named_dict(resid_raw$mean)
    out$sample_mean <- named_dict(sampstat$mean)
  }
  out$sample_stats <- if (lavInspect(fit, "options")$missing == "ml") {
    "sample_cov/sample_mean: lavaan's EM estimates of the unrestricted (h1) model"
  } else {
    "sample_cov: covariance matrix of the complete cases with divisor N"
  }
  if (!is.null(notes)) out$notes <- notes
  write_golden(out, paste0(name, ".json"))
  CASES[[name]] <<- list(file = paste0(name, ".json"), "function" = fun,
                         call = out$call, notes = if (is.null(notes)) "" else notes)
  invisible(fit)
}

# ---- data ----------------------------------------------------------------------------------

hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)

# HS with ~10% of the x1..x9 values missing completely at random. Written to CSV and read back,
# so lavaan fits exactly the numbers Python will read.
MISSING_CSV <- "tests/golden/data/hs_missing10.csv"
make_missing <- function() {
  set.seed(2026)
  m <- as.matrix(hs[, paste0("x", 1:9)])
  cells <- sample.int(length(m), size = round(0.10 * length(m)))
  m[cells] <- NA
  keep <- rowSums(!is.na(m)) > 0  # a row with nothing observed carries no information
  dir.create(dirname(MISSING_CSV), showWarnings = FALSE, recursive = TRUE)
  write.csv(m[keep, , drop = FALSE], MISSING_CSV, row.names = FALSE, na = "")
  cat(sprintf("wrote %s (%d rows, %d missing values)\n", MISSING_CSV, sum(keep),
              sum(is.na(m[keep, ]))))
}
make_missing()
hs_missing <- read.csv(MISSING_CSV)

CASES <- list()

# ---- cases ---------------------------------------------------------------------------------

golden_case("hs_cfa", HS_CFA, HS_CSV, hs, "cfa",
            notes = "3-factor CFA; identical to the shared reference hs_cfa.json")
golden_case("poldem_sem", POLDEM_SEM, POLDEM_CSV, poldem, "sem",
            notes = "Bollen's Political Democracy SEM with residual covariances")
golden_case("poldem_equal", POLDEM_EQUAL, POLDEM_CSV, poldem, "sem",
            notes = "loadings equal across time through shared labels a, b, c")
golden_case("hs_mediation", HS_MEDIATION, HS_CSV, hs, "sem",
            notes = "latent mediation with defined indirect (ind) and total effects")
golden_case("hs_stdlv_na", HS_STDLV_NA, HS_CSV, hs, "cfa", list(std.lv = TRUE),
            notes = "first loadings freed with NA*, latent variances fixed to 1 by std.lv")
golden_case("hs_fixed_var", HS_FIXED_VAR, HS_CSV, hs, "cfa",
            notes = "same model as hs_stdlv_na with the latent variances fixed by hand")
golden_case("hs_cov0", HS_COV0, HS_CSV, hs, "cfa",
            notes = "one latent covariance fixed to 0 (visual ~~ 0*speed)")
golden_case("hs_orthogonal", HS_CFA, HS_CSV, hs, "cfa", list(orthogonal = TRUE),
            notes = "all latent covariances fixed to 0 by orthogonal = TRUE")
golden_case("hs_fiml", HS_CFA, "tests/golden/data/hs_missing10.csv", hs_missing, "cfa",
            list(missing = "ml"),
            notes = paste("FIML on HS with 10% of x1..x9 missing completely at random",
                          "(set.seed(2026)); h1 (unrestricted) model estimated by EM;",
                          "mean structure added automatically"))
golden_case("hs_covariate", HS_COVARIATE, HS_CSV, hs, "sem",
            notes = "observed exogenous covariates x7, x8 with fixed.x = TRUE (default)")
golden_case("hs_covariate_fixedx_false", HS_COVARIATE, HS_CSV, hs, "sem",
            list(fixed.x = FALSE),
            notes = "observed exogenous covariates x7, x8 with free (co)variances")
golden_case("poldem_single_indicator", POLDEM_SINGLE, POLDEM_CSV, poldem, "sem",
            notes = "single-indicator latent dem60: auto.fix.single fixes y1 ~~ y1 to 0")
golden_case("poldem_path", POLDEM_PATH, POLDEM_CSV, poldem, "sem",
            notes = "observed-only path model; y1, x1, x2 exogenous with fixed.x = TRUE")
golden_case("poldem_path_mediation", POLDEM_PATH_MEDIATION, POLDEM_CSV, poldem, "sem",
            notes = "observed mediator y5 with defined indirect (ab) and total effects")
golden_case("hs_gls", HS_CFA, HS_CSV, hs, "cfa", list(estimator = "GLS"),
            notes = "generalized least squares")
golden_case("hs_uls", HS_CFA, HS_CSV, hs, "cfa", list(estimator = "ULS"),
            notes = "unweighted least squares; lavaan's default se for ULS is 'standard'")
golden_case("poldem_gls", POLDEM_SEM, POLDEM_CSV, poldem, "sem", list(estimator = "GLS"),
            notes = "Political Democracy SEM by generalized least squares")
golden_case("hs_eq_constraint", HS_EQ_CONSTRAINT, HS_CSV, hs, "cfa",
            notes = "explicit equality constraint between two labelled loadings (l2 == l3)")
golden_case("hs_ineq_constraint", HS_INEQ_CONSTRAINT, HS_CSV, hs, "cfa",
            notes = "inequality constraint l2 > 0.6, active at the solution")

# A linear growth curve needs repeated measures: simulate them (seeded) and ship the CSV.
GROWTH_CSV <- "tests/golden/data/growth.csv"
make_growth <- function() {
  set.seed(1939)
  n <- 200
  i <- rnorm(n, 10, 2)
  s <- 0.3 * (i - 10) + rnorm(n, 1.5, 0.8)
  t <- sapply(0:3, function(k) i + k * s + rnorm(n, 0, 1.2))
  colnames(t) <- paste0("t", 1:4)
  write.csv(round(t, 4), GROWTH_CSV, row.names = FALSE)
}
make_growth()
growth <- read.csv(GROWTH_CSV)

golden_case("hs_intercepts", HS_INTERCEPTS, HS_CSV, hs, "cfa",
            notes = "intercepts in the syntax switch on the mean structure (saturated means)")
golden_case("growth", GROWTH, GROWTH_CSV, growth, "sem",
            notes = "linear latent growth curve written with sem(): observed intercepts fixed to 0, latent means free")

golden_case("hs_second_order", HS_SECOND_ORDER, HS_CSV, hs, "cfa",
            notes = "second-order factor g measured by three first-order factors")
golden_case("poldem_mixed", POLDEM_MIXED, POLDEM_CSV, poldem, "sem",
            notes = "observed outcomes regressed on a latent and on an indicator of another latent")

# An index of the cases above, so tests can iterate without globbing.
write_golden(list(lavaan_version = as.character(packageVersion("lavaan")), cases = CASES),
             "cases.json")
