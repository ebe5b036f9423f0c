# Golden results from R lavaan 0.6-14 for issue 14 (part A): FIML with covariates (missing = "ml"
# and "ml.x"), NFI/RFI as NA, information / meanstructure on complete data, summary-statistics
# input (sample.cov), growth(), bootstrap with FIML and means and the Bollen-Stine p-value.
#
# Run from the repository root:   Rscript tests/golden/make_lavaan14_golden.R
# Writes tests/golden/lavaan14/<case>.json, tests/golden/lavaan14/cases.json and the data files
# it makes (tests/golden/data/poldem_missing10.csv, tests/golden/lavaan14/*_boot_*.csv).
# Every JSON holds the lavaan call, the keyword arguments of the equivalent semwidget.fit call
# ("py"), and lavaan's parameterEstimates(standardized = TRUE), fitMeasures, R^2 and warnings.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")   # HS_CFA, POLDEM_SEM, GROWTH

OUT_DIR <- "tests/golden/lavaan14"
dir.create(OUT_DIR, showWarnings = FALSE)
CASES14 <- list()

source("tests/golden/lavaan14_helpers.R")  # run14(), case14()

hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)
hs_miss <- read.csv("tests/golden/data/hs_missing10.csv")

# PolDem with 10% of every value missing completely at random, written and read back.
POLDEM_MISSING <- "tests/golden/data/poldem_missing10.csv"
local({
  set.seed(1414)
  d <- poldem[, c(paste0("y", 1:8), paste0("x", 1:3))]
  cells <- sample.int(nrow(d) * ncol(d), round(0.1 * nrow(d) * ncol(d)))
  m <- as.matrix(d)
  m[cells] <- NA
  write.csv(as.data.frame(m), POLDEM_MISSING, row.names = FALSE, na = "")
})
pd_miss <- read.csv(POLDEM_MISSING)

HS_COV <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
visual ~ x7 + x8"
PD_COV <- "
ind60 =~ x1 + x2
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5"
PD_PATH <- "
dem60 =~ y1 + y2 + y3 + y4
dem60 ~ x1 + x2 + x3"

# ---- 1. FIML with exogenous covariates ------------------------------------------------------
case14("fiml_hs_cov_ml", "sem", HS_COV, list(data = hs_miss, missing = "ml"),
       "tests/golden/data/hs_missing10.csv", list(missing = "fiml"),
       "lavaan drops the 68 rows with x7 or x8 missing (fixed.x = TRUE)")
case14("fiml_hs_cov_mlx", "sem", HS_COV, list(data = hs_miss, missing = "ml.x"),
       "tests/golden/data/hs_missing10.csv", list(missing = "ml.x"),
       "rows with missing covariates kept; conditional log-likelihood, pairwise x moments")
case14("fiml_hs_cov_complete", "sem", HS_COV, list(data = hs, missing = "ml"),
       HS_CSV, list(missing = "ml"), "complete covariates under FIML")
case14("fiml_hs_cov_fixedx_false", "sem", HS_COV,
       list(data = hs_miss, missing = "ml", fixed.x = FALSE),
       "tests/golden/data/hs_missing10.csv", list(missing = "fiml", fixed_x = FALSE),
       "covariates modelled (fixed.x = FALSE): no rows dropped")
case14("fiml_poldem_path_ml", "sem", PD_PATH, list(data = pd_miss, missing = "ml"),
       POLDEM_MISSING, list(missing = "fiml"), "three covariates, rows with any missing dropped")
case14("fiml_poldem_path_mlx", "sem", PD_PATH, list(data = pd_miss, missing = "ml.x"),
       POLDEM_MISSING, list(missing = "fiml.x"))
case14("fiml_poldem_sem", "sem", PD_COV, list(data = pd_miss, missing = "ml"),
       POLDEM_MISSING, list(missing = "fiml"), "no covariates: nothing dropped")

# ---- 2. NFI / RFI NA when the model has more df than the baseline ---------------------------
HS_RIGID <- "
visual =~ 1*x1 + 1*x2 + 1*x3
x1 ~~ a*x1
x2 ~~ a*x2
x3 ~~ a*x3"
case14("nfi_na_hs", "cfa", HS_RIGID, list(data = hs), HS_CSV, list(),
       "df 4 > baseline df 3: NFI and RFI are NA")
case14("nfi_na_poldem", "sem", "
dem60 =~ 1*y1 + 1*y2 + 1*y3 + 1*y4
y1 ~~ e*y1
y2 ~~ e*y2
y3 ~~ e*y3
y4 ~~ e*y4", list(data = poldem), POLDEM_CSV, list(), "df 8 > baseline df 6")

# ---- 6. information = "observed" | "expected", meanstructure = TRUE --------------------------
PD_SEM <- POLDEM_SEM
case14("info_hs_cfa_observed", "cfa", HS_CFA, list(data = hs, information = "observed"),
       HS_CSV, list(information = "observed"))
case14("info_poldem_observed", "sem", PD_SEM, list(data = poldem, information = "observed"),
       POLDEM_CSV, list(information = "observed"))
case14("info_hs_fiml_expected", "cfa", HS_CFA,
       list(data = hs_miss, missing = "ml", information = "expected"),
       "tests/golden/data/hs_missing10.csv", list(missing = "ml", information = "expected"))
case14("info_hs_cov_observed", "sem", HS_COV, list(data = hs, information = "observed"),
       HS_CSV, list(information = "observed"), "fixed covariates, observed information")
case14("means_hs_cfa", "cfa", HS_CFA, list(data = hs, meanstructure = TRUE), HS_CSV,
       list(meanstructure = TRUE))
case14("means_poldem_observed", "sem", PD_SEM,
       list(data = poldem, meanstructure = TRUE, information = "observed"), POLDEM_CSV,
       list(meanstructure = TRUE, information = "observed"))
case14("means_hs_cov", "sem", HS_COV, list(data = hs, meanstructure = TRUE), HS_CSV,
       list(meanstructure = TRUE), "fixed covariates with a mean structure")

# ---- 5. summary statistics: sample.cov, sample.mean, sample.nobs ---------------------------
# The matrices are written as text the way textbooks print them (lower triangle, 15 digits),
# and Python reads those files, so both programs fit the same numbers.
lower_text <- function(m, file, header = TRUE) {
  v <- rownames(m)
  rows <- vapply(seq_along(v), function(i) {
    vals <- formatC(m[i, seq_len(i)], digits = 15, format = "g")
    paste(c(if (!header) v[i], vals), collapse = " ")
  }, character(1))
  writeLines(c(if (header) paste(v, collapse = " "), rows), file.path(OUT_DIR, file))
  file
}
mean_text <- function(x, file) {
  writeLines(paste(names(x), formatC(x, digits = 15, format = "g"), collapse = "\n"),
             file.path(OUT_DIR, file))
  file
}
hs9 <- hs[, paste0("x", 1:9)]
hs_cov <- cov(hs9)
pd_vars <- c(paste0("y", 1:8), paste0("x", 1:3))
pd_cov <- cov(poldem[, pd_vars])
case14("sstats_hs_cfa", "cfa", HS_CFA, list(sample.cov = hs_cov, sample.nobs = 301), NULL,
       list(sample_cov_file = lower_text(hs_cov, "hs_cov.txt"), sample_nobs = 301),
       "lower triangle with a header line; lavaan rescales by (N - 1) / N")
case14("sstats_hs_cfa_means", "cfa", HS_CFA,
       list(sample.cov = hs_cov, sample.mean = colMeans(hs9), sample.nobs = 301), NULL,
       list(sample_cov_file = "hs_cov.txt",
            sample_mean_file = mean_text(colMeans(hs9), "hs_mean.txt"), sample_nobs = 301),
       "means given: a mean structure, as lavaan")
case14("sstats_poldem_sem", "sem", PD_SEM, list(sample.cov = pd_cov, sample.nobs = 75), NULL,
       list(sample_cov_file = lower_text(pd_cov, "poldem_cov.txt", header = FALSE),
            sample_nobs = 75), "row labels instead of a header")
case14("sstats_hs_gls", "cfa", HS_CFA,
       list(sample.cov = hs_cov, sample.nobs = 301, estimator = "GLS"), NULL,
       list(sample_cov_file = "hs_cov.txt", sample_nobs = 301, estimator = "GLS"),
       "GLS (lavaan does not rescale the matrix for least squares)")
case14("sstats_hs_covariate", "sem", HS_COV,
       list(sample.cov = hs_cov, sample.nobs = 301), NULL,
       list(sample_cov_file = "hs_cov.txt", sample_nobs = 301),
       "fixed covariates from the matrix")
school <- split(hs9, HolzingerSwineford1939$school)  # same rows as the CSV
g_cov <- lapply(school, cov)
g_mean <- lapply(school, colMeans)
g_n <- vapply(school, nrow, integer(1))
case14("sstats_hs_groups", "cfa", HS_CFA,
       list(sample.cov = g_cov, sample.mean = g_mean, sample.nobs = as.list(g_n)), NULL,
       list(sample_cov_file = list(lower_text(g_cov[[1]], "hs_cov_g1.txt"),
                                   lower_text(g_cov[[2]], "hs_cov_g2.txt")),
            sample_mean_file = list(mean_text(g_mean[[1]], "hs_mean_g1.txt"),
                                    mean_text(g_mean[[2]], "hs_mean_g2.txt")),
            sample_nobs = as.list(unname(g_n))),
       "two groups (schools) from lists of matrices, means and sizes")

# ---- 7. growth(): meanstructure, observed intercepts 0, latent means free ------------------
# Repeated measures with two fixed covariates and a time-varying covariate, simulated (seeded).
GROWTH14_CSV <- "tests/golden/data/growth_covariates.csv"
local({
  set.seed(1407)
  n <- 300
  x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.5)
  i <- 10 + 0.5 * x1 + 0.3 * x2 + rnorm(n, sd = 1)
  s <- 1 + 0.2 * x1 - 0.2 * x2 + rnorm(n, sd = 0.4)
  d <- data.frame(x1 = round(x1, 4), x2 = x2)
  for (t in 1:4) {
    c_t <- rnorm(n)
    d[[paste0("c", t)]] <- round(c_t, 4)
    d[[paste0("t", t)]] <- round(i + (t - 1) * s + 0.3 * c_t + rnorm(n, sd = 0.6), 4)
  }
  miss <- d
  for (v in paste0("t", 1:4)) miss[[v]][sample.int(n, 30)] <- NA
  write.csv(d, GROWTH14_CSV, row.names = FALSE)
  write.csv(miss, "tests/golden/data/growth_missing.csv", row.names = FALSE, na = "")
})
g14 <- read.csv(GROWTH14_CSV)
g14_miss <- read.csv("tests/golden/data/growth_missing.csv")
LINEAR <- "
i =~ 1*t1 + 1*t2 + 1*t3 + 1*t4
s =~ 0*t1 + 1*t2 + 2*t3 + 3*t4"
case14("growth_linear", "growth", LINEAR, list(data = g14), GROWTH14_CSV,
       list(kind = "growth"), "growth(): no intercept lines written")
case14("growth_covariates", "growth", paste0(LINEAR, "\ni ~ x1 + x2\ns ~ x1 + x2"),
       list(data = g14), GROWTH14_CSV, list(kind = "growth"),
       "fixed covariates predict the growth factors (their intercepts free)")
case14("growth_tvc", "growth", paste0(LINEAR, "\nt1 ~ c1\nt2 ~ c2\nt3 ~ c3\nt4 ~ c4"),
       list(data = g14), GROWTH14_CSV, list(kind = "growth"), "time-varying covariates")
case14("growth_quadratic", "growth", paste0(LINEAR, "\nq =~ 0*t1 + 1*t2 + 4*t3 + 9*t4"),
       list(data = g14), GROWTH14_CSV, list(kind = "growth"), "quadratic, df = 1")
case14("growth_fiml", "growth", LINEAR, list(data = g14_miss, missing = "ml"),
       "tests/golden/data/growth_missing.csv", list(kind = "growth", missing = "ml"),
       "growth under FIML")

# ---- 3./4. bootstrap with FIML and means; Bollen-Stine -----------------------------------
# lavaan's own resamples: bootstrapLavaan(keep.idx = TRUE) returns the rows it drew, which are
# written (0-based) beside the case, so Python refits exactly the same resamples. Reference
# numbers are lavaan's definitions on those draws: se = sqrt(diag(cov(coef draws))), the
# percentile interval of parameterEstimates(boot.ci.type = "perc") on the draws, and the
# Bollen-Stine p-value = #(T* > T) / #(T* that converged) (lav_model_test).
boot14 <- function(name, fun, model, data, data_path, args, py, B, seed, type = "ordinary") {
  fit <- run14(fun, c(list(model = model, data = data), args))$fit
  set.seed(seed)
  if (type == "ordinary") {
    draws <- bootstrapLavaan(fit, R = B, FUN = coef, keep.idx = TRUE)
  } else {
    draws <- bootstrapLavaan(fit, R = B, type = "bollen.stine", keep.idx = TRUE,
                             FUN = function(x) fitMeasures(x, "chisq"))
  }
  idx <- attr(draws, "boot.idx")[[1]]
  failed <- attr(draws, "error.idx")
  idx_file <- paste0(name, "_idx.csv")
  write.csv(idx - 1L, file.path(OUT_DIR, idx_file), row.names = FALSE)
  ok <- stats::complete.cases(draws)
  out <- list(name = name, "function" = fun, model = model, data = data_path,
              py = py, indices = idx_file, type = type, R = B, failed = length(failed),
              nobs = lavInspect(fit, "nobs"), options = effective_options(fit, fun),
              lavaan_version = as.character(packageVersion("lavaan")))
  if (type == "ordinary") {
    coefs <- draws[ok, , drop = FALSE]
    pt <- parTable(fit)
    free <- pt[pt$free > 0, ]
    se <- sqrt(diag(stats::cov(coefs)))
    out$boot_se <- rows_of(data.frame(lhs = free$lhs, op = free$op, rhs = free$rhs,
                                      se = unname(se[free$free]), stringsAsFactors = FALSE))
    fit@boot$coef <- coefs
    fit@Options$se <- "bootstrap"
    pe <- parameterEstimates(fit, boot.ci.type = "perc", level = 0.95)
    pe <- pe[pe$op %in% c("=~", "~", "~~", "~1", ":="), ]
    out$boot_ci <- rows_of(pe[, c("lhs", "op", "rhs", "est", "ci.lower", "ci.upper")])
  } else {
    T0 <- fitMeasures(fit, "chisq")
    Tb <- as.numeric(draws[ok, 1])
    out$chisq <- unname(T0)
    out$boot_chisq <- Tb
    out$bollen_stine_pvalue <- sum(Tb > T0) / length(Tb)
  }
  write_golden(out, file.path("lavaan14", paste0(name, ".json")))
  BOOT14[[name]] <<- list(file = paste0(name, ".json"), type = type)
}
BOOT14 <- list()
HS_MED <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual
speed ~ b*textual + c*visual
ab := a*b"
boot14("boot_fiml_hs_cfa", "cfa", HS_CFA, hs_miss, "tests/golden/data/hs_missing10.csv",
       list(missing = "ml"), list(missing = "fiml"), 60, 1401)
boot14("boot_fiml_hs_mediation", "sem", HS_MED, hs_miss, "tests/golden/data/hs_missing10.csv",
       list(missing = "ml"), list(missing = "fiml"), 40, 1402)
boot14("boot_fiml_hs_cov", "sem", HS_COV, hs_miss, "tests/golden/data/hs_missing10.csv",
       list(missing = "ml"), list(missing = "fiml"), 40, 1403)
boot14("boot_means_hs_cfa", "cfa", HS_CFA, hs, HS_CSV, list(meanstructure = TRUE),
       list(meanstructure = TRUE), 150, 1404)
boot14("boot_means_poldem", "sem", paste0(PD_PATH, "\ny1 ~ 1"), poldem, POLDEM_CSV, list(),
       list(), 150, 1405)
boot14("boot_growth", "growth", LINEAR, g14, GROWTH14_CSV, list(), list(kind = "growth"),
       150, 1406)
boot14("bs_hs_cfa", "cfa", HS_CFA, hs, HS_CSV, list(), list(), 150, 1407, "bollen.stine")
boot14("bs_poldem_sem", "sem", PD_SEM, poldem, POLDEM_CSV, list(), list(), 150, 1408,
       "bollen.stine")
boot14("bs_hs_cov", "sem", HS_COV, hs, HS_CSV, list(), list(), 150, 1409, "bollen.stine")
boot14("bs_hs_means", "cfa", HS_CFA, hs, HS_CSV, list(meanstructure = TRUE),
       list(meanstructure = TRUE), 150, 1410, "bollen.stine")
write_golden(list(cases = BOOT14), file.path("lavaan14", "boot_cases.json"))

# ---- index of the cases ---------------------------------------------------------------------
write_golden(list(cases = CASES14), file.path("lavaan14", "cases.json"))
