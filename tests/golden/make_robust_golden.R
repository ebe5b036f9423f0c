# Golden results from R lavaan for robust ML (MLR, MLM, MLMV and the se/test options they map to).
#
# Run from the repository root:   Rscript tests/golden/make_robust_golden.R
# Writes tests/golden/robust_<case>.json and tests/golden/robust_cases.json. Each JSON holds what
# make_lavaan_golden.R writes (estimates with std.all, every fit measure, R², the options lavaan
# used) plus the scaling factors of the model and of the baseline model.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")

ROBUST_CASES <- list()

robust_case <- function(name, model, data_path, data, fun, call_args, notes) {
  run <- run_lavaan(fun, model, data, call_args)
  fit <- run$fit
  fm <- fitMeasures(fit)
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  pe <- pe[, c("lhs", "op", "rhs", intersect("group", names(pe)), "label", "est", "se", "z",
               "pvalue", "ci.lower", "ci.upper", "std.lv", "std.all")]
  r2 <- lavInspect(fit, "r2")
  r2 <- if (is.list(r2)) setNames(lapply(r2, named_dict), lavInspect(fit, "group.label")) else
    named_dict(r2)
  tests <- lavInspect(fit, "test")
  test_list <- lapply(tests, function(t) {
    keep <- intersect(names(t), c("test", "stat", "stat.group", "df", "refdistr", "pvalue",
                                  "scaling.factor", "shift.parameter", "trace.UGamma",
                                  "trace.UGamma2"))
    t[keep]
  })
  out <- list(
    name = name,
    model = model,
    data = data_path,
    call = call_string(fun, lapply(call_args, paste, collapse = ", ")),
    call_args = call_args,
    options = effective_options(fit, fun),
    nobs = lavInspect(fit, "nobs"),
    converged = lavInspect(fit, "converged"),
    estimates = rows_of(pe),
    fit = named_dict(fm),
    r2 = r2,
    tests = test_list,
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_seconds = run$seconds,
    lavaan_warnings = run$warnings,
    notes = notes
  )
  file <- paste0("robust_", name, ".json")
  write_golden(out, file)
  ROBUST_CASES[[name]] <<- list(file = file, "function" = fun, call = out$call, notes = notes)
  invisible(fit)
}

hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)
hs_missing <- read.csv("tests/golden/data/hs_missing10.csv")

for (est in c("MLR", "MLM", "MLMV")) {
  robust_case(paste0("hs_", tolower(est)), HS_CFA, HS_CSV, hs, "cfa", list(estimator = est),
              notes = paste("HS 3-factor CFA with estimator", est))
  robust_case(paste0("poldem_", tolower(est)), POLDEM_SEM, POLDEM_CSV, poldem, "sem",
              list(estimator = est),
              notes = paste("Political Democracy SEM with estimator", est))
}
robust_case("hs_mediation_mlr", HS_MEDIATION, HS_CSV, hs, "sem", list(estimator = "MLR"),
            notes = "latent mediation with defined effects, MLR (delta-method SEs of :=)")
robust_case("hs_covariate_mlm", HS_COVARIATE, HS_CSV, hs, "sem", list(estimator = "MLM"),
            notes = "observed covariates with fixed.x = TRUE, MLM")
robust_case("hs_covariate_mlr", HS_COVARIATE, HS_CSV, hs, "sem", list(estimator = "MLR"),
            notes = "observed covariates with fixed.x = TRUE, MLR")
robust_case("hs_fiml_mlr", HS_CFA, "tests/golden/data/hs_missing10.csv", hs_missing, "cfa",
            list(estimator = "MLR", missing = "ml"),
            notes = "MLR with FIML on HS with 10% MCAR missing values")
robust_case("hs_ml_sb", HS_CFA, HS_CSV, hs, "cfa",
            list(estimator = "ML", se = "robust.sem", test = "satorra.bentler"),
            notes = "ML with se and test set directly (equals MLM)")
robust_case("hs_ml_huber_white", HS_CFA, HS_CSV, hs, "cfa",
            list(estimator = "ML", se = "robust.huber.white"),
            notes = "ML with Huber-White SEs (observed information) and the standard test")
robust_case("hs_ml_shifted", HS_CFA, HS_CSV, hs, "cfa",
            list(estimator = "ML", se = "robust.sem", test = "scaled.shifted"),
            notes = "ML with the scaled-and-shifted test")
robust_case("hs_intercepts_mlr", HS_INTERCEPTS, HS_CSV, hs, "cfa", list(estimator = "MLR"),
            notes = "MLR with a mean structure written in the syntax")

# test = "yuan.bentler" (the original trace, not Mplus'): with the expected information (se
# standard or robust.sem) and with the observed one (se = "robust.huber.white")
HW_YB <- list(estimator = "ML", se = "robust.huber.white", test = "yuan.bentler")
YB_CASES <- list(
  list("hs_ml_yb", HS_CFA, HS_CSV, hs, "cfa", list(estimator = "ML", test = "yuan.bentler"),
       "ML with the Yuan-Bentler test, expected information"),
  list("hs_ml_hw_yb", HS_CFA, HS_CSV, hs, "cfa", HW_YB,
       "ML with Huber-White SEs and the Yuan-Bentler test (observed information)"),
  list("poldem_ml_hw_yb", POLDEM_SEM, POLDEM_CSV, poldem, "sem", HW_YB,
       "PolDem, Huber-White SEs and the Yuan-Bentler test"),
  list("poldem_ml_yb", POLDEM_SEM, POLDEM_CSV, poldem, "sem",
       list(estimator = "ML", se = "robust.sem", test = "yuan.bentler"),
       "PolDem, robust.sem SEs and the Yuan-Bentler test"),
  list("hs_covariate_hw_yb", HS_COVARIATE, HS_CSV, hs, "sem", HW_YB,
       "fixed.x covariates, Huber-White SEs, Yuan-Bentler test"),
  list("hs_intercepts_hw_yb", HS_INTERCEPTS, HS_CSV, hs, "cfa", HW_YB,
       "mean structure, Huber-White SEs, Yuan-Bentler test"))
for (case in YB_CASES) do.call(robust_case, case)

# MLR with FIML: robust CFI/TLI/RMSEA are lavaan's FIML-corrected ones (Zhang & Savalei, V3).
# PolDem with ~10% of its values missing completely at random (written and read back).
PD_MISSING_CSV <- "tests/golden/data/poldem_mlr_missing10.csv"
set.seed(1313)
pm <- as.matrix(poldem[, c(paste0("y", 1:8), paste0("x", 1:3))])
pm[sample.int(length(pm), size = round(0.10 * length(pm)))] <- NA
write.csv(pm[rowSums(!is.na(pm)) > 0, , drop = FALSE], PD_MISSING_CSV, row.names = FALSE,
          na = "")
poldem_missing <- read.csv(PD_MISSING_CSV)
robust_case("poldem_fiml_mlr", POLDEM_SEM, PD_MISSING_CSV, poldem_missing, "sem",
            list(estimator = "MLR", missing = "ml"),
            notes = "PolDem SEM, MLR with FIML, 10% MCAR missing values")
robust_case("hs_mediation_fiml_mlr", HS_MEDIATION, "tests/golden/data/hs_missing10.csv",
            hs_missing, "sem", list(estimator = "MLR", missing = "ml"),
            notes = "latent mediation with defined effects, MLR with FIML")

# group = "school": robust ML over groups (each group's Gamma, lavaan's n_g / N weights)
HS_SCHOOL_CSV <- "semwidget/datasets/hs1939_school.csv"
hs_school <- read.csv(HS_SCHOOL_CSV)
GROUP_CASES <- list(
  list("hs_groups_mlr", list(estimator = "MLR"), "configural"),
  list("hs_groups_mlm", list(estimator = "MLM"), "configural"),
  list("hs_groups_mlmv", list(estimator = "MLMV"), "configural"),
  list("hs_groups_metric_mlr", list(estimator = "MLR", group.equal = "loadings"), "metric"),
  list("hs_groups_scalar_mlm", list(estimator = "MLM",
                                    group.equal = c("loadings", "intercepts")), "scalar"))
# MLR with FIML by school, on the multigroup golden's HS data with missing values
# (written by make_multigroup_golden.R)
HS_SCHOOL_MISSING_CSV <- "tests/golden/data/hs_school_missing10.csv"
hs_school_missing <- read.csv(HS_SCHOOL_MISSING_CSV)
robust_case("hs_groups_fiml_mlr", HS_CFA, HS_SCHOOL_MISSING_CSV, hs_school_missing, "cfa",
            list(group = "school", estimator = "MLR", missing = "ml"),
            notes = "HS by school, MLR with FIML, 10% MCAR missing values")
robust_case("hs_groups_metric_fiml_mlr", HS_CFA, HS_SCHOOL_MISSING_CSV, hs_school_missing,
            "cfa", list(group = "school", estimator = "MLR", missing = "ml",
                        group.equal = "loadings"),
            notes = "HS by school, metric invariance, MLR with FIML")
for (case in GROUP_CASES) {
  robust_case(case[[1]], HS_CFA, HS_SCHOOL_CSV, hs_school, "cfa",
              c(list(group = "school"), case[[2]]),
              notes = paste("HS by school,", case[[3]], "model, estimator", case[[2]]$estimator))
}

# lavTestLRT(configural, metric) by school for each robust estimator (its default method)
lrt <- list()
for (est in c("MLR", "MLM", "MLMV")) {
  f1 <- cfa(HS_CFA, hs_school, group = "school", estimator = est)
  f0 <- cfa(HS_CFA, hs_school, group = "school", estimator = est, group.equal = "loadings")
  tab <- lavTestLRT(f1, f0)
  lrt[[est]] <- list(chisq_diff = tab[["Chisq diff"]][2], df_diff = tab[["Df diff"]][2],
                     pvalue = tab[["Pr(>Chisq)"]][2], method = attr(tab, "heading"))
}
write_golden(list(model = HS_CFA, data = HS_SCHOOL_CSV, group = "school",
                  equal = "loadings", lrt = lrt,
                  lavaan_version = as.character(packageVersion("lavaan"))),
             file.path("multigroup", "robust_lrt.json"))

write_golden(list(lavaan_version = as.character(packageVersion("lavaan")), cases = ROBUST_CASES),
             "robust_cases.json")
