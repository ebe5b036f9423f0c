# Golden results for the report modules on models beyond tests/golden: modification indices
# with fixed covariates, fixed parameters and observed paths; indirect effects written as `:=`
# in lavaan; reliability with a cross-loading; lavaan's standardized residual correlations.
#
# Run from the repository root:   Rscript tests/golden_reports/make_reports_golden.R
# Writes tests/golden_reports/reports_<case>.json (about 3 s).

source("tests/golden/golden_helpers.R")
suppressPackageStartupMessages(library(semTools))

OUT_DIR <- "tests/golden_reports"

write_report <- function(obj, name) {
  path <- file.path(OUT_DIR, paste0("reports_", name, ".json"))
  txt <- toJSON(obj, auto_unbox = TRUE, digits = NA, na = "null", null = "null", pretty = TRUE)
  writeLines(txt, path)
  invisible(fromJSON(path, simplifyVector = FALSE))
  cat(sprintf("wrote %s\n", path))
}

hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)

report_case <- function(name, model, data_path, data, fun, call_args = list(),
                        semtools = FALSE) {
  run <- run_lavaan(fun, model, data, call_args)
  fit <- run$fit
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  mi <- modindices(fit)
  out <- list(
    name = name, model = model, data = data_path, call = call_string(fun, call_args),
    options = effective_options(fit, fun), nobs = lavInspect(fit, "nobs"),
    estimates = rows_of(pe[, c("lhs", "op", "rhs", "label", "est", "se", "z", "pvalue",
                               "std.lv", "std.all")]),
    modindices = rows_of(mi[, c("lhs", "op", "rhs", "mi", "epc", "sepc.lv", "sepc.all",
                                "sepc.nox")]),
    resid_cor = matrix_dict(resid(fit, type = "cor")$cov),
    lavaan_warnings = run$warnings,
    lavaan_version = as.character(packageVersion("lavaan"))
  )
  if (semtools) {
    ss <- standardizedSolution(fit)
    ld <- ss[ss$op == "=~", ]
    constructs <- unique(ld$lhs)
    out$indicators <- lapply(setNames(constructs, constructs),
                             function(f) as.list(ld$rhs[ld$lhs == f]))
    out$compRelSEM_omega <- named_dict(unlist(compRelSEM(fit)))
    out$compRelSEM_alpha <- named_dict(unlist(compRelSEM(fit, tau.eq = TRUE)))
    out$AVE <- named_dict(unlist(AVE(fit)))
    out$cr_textbook <- named_dict(sapply(constructs, function(f) {
      l <- ld$est.std[ld$lhs == f]
      sum(l)^2 / (sum(l)^2 + sum(1 - l^2))
    }))
    out$ave_textbook <- named_dict(sapply(constructs, function(f)
      mean(ld$est.std[ld$lhs == f]^2)))
    # semTools' htmt() cannot take an item shared by two constructs (it duplicates the column
    # and the item correlation matrix becomes singular), so it is skipped for such models.
    if (!anyDuplicated(ld$rhs)) out$htmt <- matrix_dict(htmt(model, data, htmt2 = FALSE))
    out$semtools_version <- as.character(packageVersion("semTools"))
  }
  write_report(out, name)
}

# Observed exogenous covariates (fixed.x = TRUE): their (co)variances are fixed parameters.
report_case("hs_covariate", "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
visual ~ x7
textual ~ x7 + x8", HS_CSV, hs, "sem")

# Orthogonal factors: the fixed latent covariances are candidates.
report_case("hs_orthogonal", "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9", HS_CSV, hs, "cfa", list(orthogonal = TRUE))

# Observed path model with three specific indirect effects of x1 on y5, written as `:=`.
report_case("poldem_paths", "
y1 ~ a1*x1
y2 ~ a2*x1 + d*y1
y5 ~ b1*y1 + b2*y2 + c*x1
ind1 := a1*b1
ind2 := a2*b2
ind3 := a1*d*b2
total_indirect := a1*b1 + a2*b2 + a1*d*b2
total := c + a1*b1 + a2*b2 + a1*d*b2", POLDEM_CSV, poldem, "sem")

# Latent mediation with residual covariances (Political Democracy), indirect effect as `:=`.
report_case("poldem_mediation", "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ a*ind60
dem65 ~ c*ind60 + b*dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8
ind := a*b
total := c + a*b", POLDEM_CSV, poldem, "sem")

# A cross-loading (x9 on visual and speed) for reliability, AVE and HTMT.
report_case("hs_crossload", "
visual =~ x1 + x2 + x3 + x9
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9", HS_CSV, hs, "cfa", semtools = TRUE)

# A two-indicator construct and a residual covariance, for ω, HTMT and reliability.
report_case("hs_resid_cov", "
visual =~ x1 + x2 + x3
textual =~ x4 + x5
speed =~ x7 + x8 + x9
x7 ~~ x8", HS_CSV, hs, "cfa", semtools = TRUE)
