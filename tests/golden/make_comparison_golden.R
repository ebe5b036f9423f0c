# Golden results for model comparison and local fit (issue 17): lavaan's lavTestLRT,
# semTools' net() (nesting and equivalence test, Bentler & Satorra, 2010), resid(type = "cor")
# and lavResiduals()' z-statistics.
#
# Run from the repository root:   Rscript tests/golden/make_comparison_golden.R
# Writes tests/golden/comparison/lrt.json and tests/golden/comparison/residuals.json.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")
suppressPackageStartupMessages(library(semTools))

GOLDEN_DIR <- "tests/golden/comparison"
hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)

HS_EQUAL <- "
visual =~ x1 + a*x2 + a*x3
textual =~ x4 + b*x5 + b*x6
speed =~ x7 + x8 + x9"
HS_ONE <- "g =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9"
HS_TWO <- "
vt =~ x1 + x2 + x3 + x4 + x5 + x6
speed =~ x7 + x8 + x9"
# x4 moved to the visual factor: not nested in HS_CFA (nor HS_CFA in it)
HS_MOVED <- "
visual =~ x1 + x2 + x3 + x4
textual =~ x5 + x6
speed =~ x7 + x8 + x9"
HS_CROSS <- paste0(HS_CFA, "\nvisual =~ x9")
POLDEM_NO_RESID <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60"
POLDEM_NO_DIRECT <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8"

MODELS <- list(hs_cfa = HS_CFA, hs_equal = HS_EQUAL, hs_one = HS_ONE, hs_two = HS_TWO,
               hs_moved = HS_MOVED, hs_cross = HS_CROSS, hs_orthogonal = HS_CFA,
               poldem_sem = POLDEM_SEM, poldem_equal = POLDEM_EQUAL,
               poldem_no_resid = POLDEM_NO_RESID, poldem_no_direct = POLDEM_NO_DIRECT)
DATA <- list(hs = hs, poldem = poldem)

# net() refits the calls it finds in the fits, so model and data are global objects here
fit_one <- function(name, estimator, slot) {
  assign(slot, MODELS[[name]], envir = globalenv())
  assign(paste0(slot, "_data"), if (startsWith(name, "hs")) hs else poldem, envir = globalenv())
  assign(paste0(slot, "_est"), estimator, envir = globalenv())
  assign(paste0(slot, "_orth"), name == "hs_orthogonal", envir = globalenv())
  if (slot == "MA") {
    sem(MA, data = MA_data, estimator = MA_est, orthogonal = MA_orth)
  } else {
    sem(MB, data = MB_data, estimator = MB_est, orthogonal = MB_orth)
  }
}

# (more general model, more restricted model, estimator)
PAIRS <- list(
  c("hs_cfa", "hs_equal", "ML"), c("hs_cfa", "hs_orthogonal", "ML"),
  c("hs_cfa", "hs_one", "ML"), c("hs_cfa", "hs_two", "ML"), c("hs_cross", "hs_cfa", "ML"),
  c("hs_cfa", "hs_moved", "ML"), c("hs_moved", "hs_orthogonal", "ML"),
  c("poldem_sem", "poldem_equal", "ML"), c("poldem_sem", "poldem_no_resid", "ML"),
  c("poldem_sem", "poldem_no_direct", "ML"), c("poldem_equal", "poldem_no_direct", "ML"),
  c("hs_cfa", "hs_orthogonal", "MLR"), c("poldem_sem", "poldem_no_resid", "MLR"),
  c("poldem_sem", "poldem_equal", "MLM"))

pairs <- lapply(PAIRS, function(p) {
  a <- fit_one(p[1], p[3], "MA")
  b <- fit_one(p[2], p[3], "MB")
  lrt <- suppressWarnings(lavTestLRT(a, b))
  nt <- net(a, b)@test
  fa <- fitMeasures(a)
  fb <- fitMeasures(b)
  robust <- p[3] != "ML"
  pick <- function(f, k) unname(f[if (robust) paste0(k, ".robust") else k])
  list(general = p[1], restricted = p[2], estimator = p[3],
       orthogonal = c(p[1], p[2]) == "hs_orthogonal",
       # net(a, b)@test[R, C]: the model in row R is nested within the model in column C
       net_restricted_in_general = nt[2, 1], net_general_in_restricted = nt[1, 2],
       df = as.numeric(lrt$Df), aic = as.numeric(lrt$AIC), bic = as.numeric(lrt$BIC),
       chisq = as.numeric(lrt$Chisq), chisq_diff = as.numeric(lrt[["Chisq diff"]][2]),
       df_diff = as.numeric(lrt[["Df diff"]][2]), pvalue = as.numeric(lrt[["Pr(>Chisq)"]][2]),
       cfi = c(pick(fa, "cfi"), pick(fb, "cfi")), rmsea = c(pick(fa, "rmsea"), pick(fb, "rmsea")))
})

write_golden(list(models = MODELS, pairs = pairs,
                  lavaan_version = as.character(packageVersion("lavaan")),
                  semtools_version = as.character(packageVersion("semTools"))), "lrt.json")

# resid(fit, type = "cor") and lavResiduals(fit)$cov.z (the z-statistics of the residuals)
HS_PATH <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
textual ~ visual"
resid_case <- function(name, model, data, fun) {
  f <- fun(model, data)
  r <- lavResiduals(f)
  list(name = name, model = model, data = if (identical(data, hs)) HS_CSV else POLDEM_CSV,
       "function" = deparse(substitute(fun)),
       cor = matrix_dict(resid(f, type = "cor")$cov),
       z = matrix_dict(r$cov.z),
       standardized = matrix_dict(resid(f, type = "standardized")$cov))
}
cases <- list(resid_case("hs_cfa", HS_CFA, hs, cfa),
              resid_case("hs_one", HS_ONE, hs, cfa),
              resid_case("hs_path", HS_PATH, hs, sem),
              resid_case("poldem_sem", POLDEM_SEM, poldem, sem),
              resid_case("poldem_no_resid", POLDEM_NO_RESID, poldem, sem))
write_golden(list(cases = cases, lavaan_version = as.character(packageVersion("lavaan"))),
             "residuals.json")
