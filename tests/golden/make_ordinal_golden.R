# Golden results from R lavaan for ordinal indicators (thresholds, polychorics, WLSMV & co).
#
# Run from the repository root:   Rscript tests/golden/make_ordinal_golden.R
# Writes tests/golden/data/hs_ordinal.csv (HS items cut into 4 and 2 categories at fixed
# quantiles, so the cut points are reproducible) and tests/golden/ordinal_<case>.json with
# lavaan's estimates, thresholds, std.all, R², fit measures, the sample statistics (thresholds
# and polychoric correlations) and the test statistics, plus tests/golden/ordinal_cases.json.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")

hs <- read.csv(HS_CSV)
ORD_CSV <- "tests/golden/data/hs_ordinal.csv"
cut_into <- function(x, k) {
  br <- quantile(x, probs = seq(0, 1, length.out = k + 1), type = 7)
  br[1] <- -Inf
  br[length(br)] <- Inf
  as.integer(cut(x, breaks = unique(br), labels = FALSE))
}
ord <- data.frame(row.names = seq_len(nrow(hs)))
for (v in paste0("x", 1:9)) {
  ord[[paste0(v, "c4")]] <- cut_into(hs[[v]], 4)
  ord[[paste0(v, "c2")]] <- cut_into(hs[[v]], 2)
  ord[[v]] <- hs[[v]]
}
write.csv(ord, ORD_CSV, row.names = FALSE)
ord <- read.csv(ORD_CSV)

# PolDem's democracy items cut into 3 categories, the industrialisation items kept numeric
pd_raw <- read.csv(POLDEM_CSV)
PD_CSV <- "tests/golden/data/poldem_ordinal.csv"
pd_ord <- data.frame(row.names = seq_len(nrow(pd_raw)))
for (v in paste0("x", 1:3)) pd_ord[[v]] <- pd_raw[[v]]
for (v in paste0("y", 1:8)) pd_ord[[v]] <- cut_into(pd_raw[[v]], 3)
write.csv(pd_ord, PD_CSV, row.names = FALSE)
pd_ord <- read.csv(PD_CSV)

CASES <- list()
ordinal_case <- function(name, model, ordered, call_args, notes, data = ord,
                         data_file = ORD_CSV) {
  args <- c(list(ordered = ordered), call_args)
  run <- run_lavaan("cfa", model, data, args)
  fit <- run$fit
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  pe <- pe[, c("lhs", "op", "rhs", "label", "est", "se", "z", "pvalue", "std.lv", "std.all")]
  tests <- lavInspect(fit, "test")
  test_list <- lapply(tests, function(t) {
    keep <- intersect(names(t), c("test", "stat", "df", "pvalue", "scaling.factor",
                                  "shift.parameter", "trace.UGamma", "trace.UGamma2"))
    t[keep]
  })
  ss <- lavInspect(fit, "sampstat")
  out <- list(
    name = name, model = model, data = data_file, ordered = ordered,
    call = call_string("cfa", c(list(ordered = "<the ordered variables>"), call_args)),
    call_args = call_args,
    options = c(effective_options(fit, "cfa"),
                list(parameterization = lavInspect(fit, "options")$parameterization)),
    nobs = lavInspect(fit, "nobs"), converged = lavInspect(fit, "converged"),
    estimates = rows_of(pe),
    fit = named_dict(fitMeasures(fit)),
    r2 = named_dict(lavInspect(fit, "r2")),
    tests = test_list,
    sample_cov = matrix_dict(ss$cov),
    sample_th = named_dict(ss$th),
    gamma_diag = as.numeric(diag(lavInspect(fit, "gamma"))),
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_seconds = run$seconds, lavaan_warnings = run$warnings, notes = notes
  )
  file <- paste0("ordinal_", name, ".json")
  write_golden(out, file)
  CASES[[name]] <<- list(file = file, call = out$call, notes = notes)
}

HS4 <- "
visual =~ x1c4 + x2c4 + x3c4
textual =~ x4c4 + x5c4 + x6c4
speed =~ x7c4 + x8c4 + x9c4"
HS2 <- gsub("c4", "c2", HS4)
ORD4 <- paste0("x", 1:9, "c4")
ORD2 <- paste0("x", 1:9, "c2")

ordinal_case("hs4_wlsmv", HS4, ORD4, list(), "HS items in 4 categories, WLSMV (the default)")
ordinal_case("hs4_dwls", HS4, ORD4, list(estimator = "DWLS"), "4 categories, DWLS")
ordinal_case("hs4_ulsmv", HS4, ORD4, list(estimator = "ULSMV"), "4 categories, ULSMV")
ordinal_case("hs4_wls", HS4, ORD4, list(estimator = "WLS"), "4 categories, full WLS")
ordinal_case("hs2_wlsmv", HS2, ORD2, list(), "HS items in 2 categories, WLSMV")
ordinal_case("hs2_dwls", HS2, ORD2, list(estimator = "DWLS"), "2 categories, DWLS")
ordinal_case("hs4_theta", HS4, ORD4, list(parameterization = "theta"),
             "4 categories, WLSMV, theta parameterization")
ordinal_case("hs4_thresholds", paste0(HS4, "
x1c4 | a*t1 + t2 + t3
x2c4 | t1 + t2 + t3"), ORD4, list(), "thresholds written in the syntax, one labelled")
HS_MIXED <- "
visual =~ x1c4 + x2c4 + x3c4
textual =~ x4 + x5 + x6
speed =~ x7c4 + x8c4 + x9c4"
ordinal_case("hs_mixed_wlsmv", HS_MIXED, c("x1c4", "x2c4", "x3c4", "x7c4", "x8c4", "x9c4"),
             list(), "ordered and continuous indicators mixed, WLSMV")
# mixed models (numeric and ordinal indicators): polyserial correlations, numeric means and
# variances among the sample statistics, lavaan's joint NACOV
ORD_MIXED <- c("x1c4", "x2c4", "x3c4", "x7c4", "x8c4", "x9c4")
ordinal_case("hs_mixed_dwls", HS_MIXED, ORD_MIXED, list(estimator = "DWLS"), "mixed, DWLS")
ordinal_case("hs_mixed_ulsmv", HS_MIXED, ORD_MIXED, list(estimator = "ULSMV"), "mixed, ULSMV")
ordinal_case("hs_mixed_wls", HS_MIXED, ORD_MIXED, list(estimator = "WLS"), "mixed, full WLS")
ordinal_case("hs_mixed_theta", HS_MIXED, ORD_MIXED, list(parameterization = "theta"),
             "mixed, WLSMV, theta parameterization")
HS_MIXED3 <- "
visual =~ x1c4 + x2c4 + x3c4
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
speed ~ visual + textual"
ordinal_case("hs_mixed3_sem", HS_MIXED3, c("x1c4", "x2c4", "x3c4"), list(),
             "x1-x3 in 4 categories, x4-x9 numeric, a structural part, WLSMV")
HS_MIXED_BINARY <- "
visual =~ x1c2 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9c2
x1c2 | a*t1"
ordinal_case("hs_mixed_binary", HS_MIXED_BINARY, c("x1c2", "x9c2"), list(),
             "two binary items among seven numeric ones, a labelled threshold, WLSMV")
ordinal_case("poldem_mixed_wlsmv", POLDEM_SEM, paste0("y", 1:8), list(),
             "PolDem: y1-y8 in 3 categories, x1-x3 numeric, residual covariances, WLSMV",
             data = pd_ord, data_file = PD_CSV)
ordinal_case("poldem_mixed_theta", POLDEM_SEM, paste0("y", 1:8),
             list(parameterization = "theta"), "PolDem mixed, theta parameterization",
             data = pd_ord, data_file = PD_CSV)
HS4_SEM <- paste0(HS4, "\nspeed ~ visual + textual")
ordinal_case("hs4_sem_wlsmv", HS4_SEM, ORD4, list(), "structural part on ordinal indicators")

write_golden(list(lavaan_version = as.character(packageVersion("lavaan")), cases = CASES),
             "ordinal_cases.json")

# semTools' reliability of ordinal items (Green & Yang's omega for the sum score, alpha of
# the item scores, AVE) for the WLSMV fits of the 4- and 2-category HS items
suppressPackageStartupMessages(library(semTools))
# (and of the mixed models: NA for a construct with ordinal and numeric items)
ST_CASES <- list(hs4_wlsmv = list(HS4, ORD4), hs2_wlsmv = list(HS2, ORD2),
                 hs_mixed_wlsmv = list(HS_MIXED, ORD_MIXED),
                 hs_mixed_binary = list(HS_MIXED_BINARY, c("x1c2", "x9c2")))
for (case in names(ST_CASES)) {
  model <- ST_CASES[[case]][[1]]
  ordered <- ST_CASES[[case]][[2]]
  fit <- cfa(model, ord, ordered = ordered)
  write_golden(list(
    name = case, model = model, data = ORD_CSV, ordered = ordered,
    omega = named_dict(compRelSEM(fit)),
    omega_implied = named_dict(compRelSEM(fit, obs.var = FALSE)),
    alpha = named_dict(compRelSEM(fit, tau.eq = TRUE)),
    AVE = named_dict(AVE(fit)),
    semtools_version = as.character(packageVersion("semTools")),
    lavaan_version = as.character(packageVersion("lavaan"))
  ), paste0("semtools_ordinal_", case, ".json"))
}

# lavTestLRT (Satorra 2000, scaled and shifted) of the mixed model against two equal loadings
LRT_EQUAL <- sub("x5 \\+ x6", "a*x5 + a*x6", HS_MIXED)
f_free <- cfa(HS_MIXED, ord, ordered = ORD_MIXED)
f_equal <- cfa(LRT_EQUAL, ord, ordered = ORD_MIXED)
tab <- lavTestLRT(f_free, f_equal)
dir.create("tests/golden/lrt", showWarnings = FALSE)
write_golden(list(free = HS_MIXED, equal = LRT_EQUAL, data = ORD_CSV, ordered = ORD_MIXED,
                  chisq_diff = tab[["Chisq diff"]][2], df_diff = tab[["Df diff"]][2],
                  pvalue = tab[["Pr(>Chisq)"]][2],
                  lavaan_version = as.character(packageVersion("lavaan"))),
             file.path("lrt", "ordinal_mixed.json"))
