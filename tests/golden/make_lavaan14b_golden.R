# Golden results from R lavaan 0.6-14 for issue 14 part B: general (nonlinear) equality and
# inequality constraints, sampling weights, exploratory SEM blocks.
#
# Run from the repository root:   Rscript tests/golden/make_lavaan14b_golden.R
# Writes tests/golden/lavaan14b_<case>.json, tests/golden/lavaan14b_cases.json and the simulated
# data of lavaan's tutorial example, tests/golden/data/constr_tutorial.csv. Each JSON holds the
# estimates (with SEs, std.all), every fit measure, R², the implied covariance matrix, the
# constraint Jacobian lavaan used for the SEs and the options lavaan used.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")

CASES14B <- list()

# `control` tightens nlminb's stopping rule where lavaan's default (rel.tol 1e-10) stops short
# of the constrained optimum by more than 1e-4 in some estimates; it is written to the JSON as
# `lavaan_control` and is not a semwidget option (semwidget always solves to the optimum).
TIGHT <- list(rel.tol = 1e-14, eval.max = 20000, iter.max = 20000)

case14b <- function(name, model, data_path, data, fun, call_args, notes, control = NULL) {
  run_args <- if (is.null(control)) call_args else c(call_args, list(control = control))
  run <- run_lavaan(fun, model, data, run_args)
  fit <- run$fit
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  pe <- pe[, intersect(c("lhs", "op", "rhs", "group", "label", "est", "se", "z", "pvalue", "ci.lower",
                         "ci.upper", "std.lv", "std.all"), names(pe))]
  jac <- fit@Model@con.jac
  # with groups: R² and implied covariances by group label
  by_group <- function(x, f) {
    if (lavInspect(fit, "ngroups") == 1) return(f(x))
    setNames(lapply(x, f), lavInspect(fit, "group.label"))
  }
  out <- list(
    name = name,
    model = model,
    data = data_path,
    call = call_string(fun, call_args),
    call_args = call_args,
    lavaan_control = control,
    options = effective_options(fit, fun),
    nobs = lavInspect(fit, "nobs"),
    npar = as.integer(fitMeasures(fit, "npar")),
    n_free = length(coef(fit)),
    converged = lavInspect(fit, "converged"),
    estimates = rows_of(pe),
    fit = named_dict(fitMeasures(fit)),
    r2 = by_group(lavInspect(fit, "r2"), named_dict),
    implied_cov = by_group(lavInspect(fit, "cov.ov"), matrix_dict),
    inactive_constraints = as.list(as.integer(attr(jac, "inactive.idx"))),
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_seconds = run$seconds,
    lavaan_warnings = run$warnings,
    notes = notes
  )
  file <- paste0("lavaan14b_", name, ".json")
  write_golden(out, file)
  CASES14B[[name]] <<- list(file = file, "function" = fun, call = out$call, notes = notes)
  invisible(fit)
}

hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)

# ---- constraints ------------------------------------------------------------------------------

# lavaan's tutorial ("Constraints"): simulated data, nonlinear equality and inequality.
set.seed(1234)
tutorial <- data.frame(y = rnorm(100), x1 = rnorm(100), x2 = rnorm(100), x3 = rnorm(100))
TUTORIAL_CSV <- "tests/golden/data/constr_tutorial.csv"
write.csv(tutorial, TUTORIAL_CSV, row.names = FALSE)
tutorial <- read.csv(TUTORIAL_CSV)  # the numbers as the CSV holds them

case14b("constr_tutorial", "
y ~ b1*x1 + b2*x2 + b3*x3
b1 == (b2 + b3)^2
b1 > exp(b2 + b3)", TUTORIAL_CSV, tutorial, "sem", list(),
  "lavaan tutorial: nonlinear equality and an active nonlinear inequality")

for (extra in list(c("log", "b1 == log(b2)"), c("ratio", "b1 == b2/b3"),
                  c("circle", "b1^2 + b2^2 == 1"))) {
  case14b(paste0("constr_tutorial_", extra[1]),
          paste0("\ny ~ b1*x1 + b2*x2 + b3*x3\n", extra[2]), TUTORIAL_CSV, tutorial, "sem",
          list(), paste("lavaan tutorial data: the nonlinear equality", extra[2]))
}

case14b("constr_hs_mixed", "
visual =~ x1 + a*x2 + b*x3
textual =~ x4 + c*x5 + d*x6
speed =~ x7 + x8 + x9
a < b
c == d^2", HS_CSV, hs, "cfa", list(),
  "HS 1939 CFA: an inactive label-label inequality and a nonlinear equality")

case14b("constr_hs_active", "
visual =~ x1 + a*x2 + b*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
a > b
speed ~~ s*speed
s > exp(-1)", HS_CSV, hs, "cfa", list(),
  "HS 1939 CFA: an active label-label inequality (free a = 0.55 < b = 0.73), an active
   nonlinear bound on a latent variance")

case14b("constr_poldem_indirect", "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ p1*ind60
dem65 ~ p2*ind60 + p3*dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8
ind := p1*p3
p2 == 2*ind - 0.1", POLDEM_CSV, poldem, "sem", list(),
  "Political Democracy SEM: a nonlinear equality through a defined parameter",
  control = TIGHT)

case14b("constr_hs_gls", "
visual =~ x1 + a*x2 + b*x3
textual =~ x4 + c*x5 + d*x6
speed =~ x7 + x8 + x9
c == d^2
a + b > 1.4", HS_CSV, hs, "cfa", list(estimator = "GLS"),
  "HS 1939 CFA by GLS: a nonlinear equality and an active linear inequality of two labels")

case14b("constr_hs_mlr", "
visual =~ x1 + a*x2 + b*x3
textual =~ x4 + c*x5 + d*x6
speed =~ x7 + x8 + x9
c == d^2
a > b", HS_CSV, hs, "cfa", list(estimator = "MLR"),
  "HS 1939 CFA by MLR: robust SEs and the Yuan-Bentler test under a nonlinear equality and an
   active inequality", control = TIGHT)

case14b("constr_poldem_mlm", paste0(POLDEM_EQUAL, "\nc == a * b"), POLDEM_CSV, poldem, "sem", list(estimator = "MLM"),
  "Political Democracy by MLM: Satorra-Bentler under a nonlinear equality", control = TIGHT)

HS_SCHOOL_CSV <- "semwidget/datasets/hs1939_school.csv"
case14b("constr_hs_groups", "
visual =~ x1 + c(a1, a2)*x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
a2 == a1^2", HS_SCHOOL_CSV, read.csv(HS_SCHOOL_CSV), "cfa", list(group = "school"),
  "HS 1939 by school: a nonlinear equality between the groups' loadings", control = TIGHT)

# ---- sampling weights -------------------------------------------------------------------------

# Weights drawn once and written beside the data (the CSV holds the numbers lavaan used).
set.seed(14)
hs_w <- hs
hs_w$w <- round(runif(nrow(hs), 0.5, 3), 3)
HSW_CSV <- "tests/golden/data/hs_weighted.csv"
write.csv(hs_w, HSW_CSV, row.names = FALSE)
hs_w <- read.csv(HSW_CSV)
poldem_w <- poldem
poldem_w$wt <- round(rexp(nrow(poldem), 1) + 0.2, 3)
POLDEMW_CSV <- "tests/golden/data/poldem_weighted.csv"
write.csv(poldem_w, POLDEMW_CSV, row.names = FALSE)
poldem_w <- read.csv(POLDEMW_CSV)

case14b("weights_hs_cfa", HS_CFA, HSW_CSV, hs_w, "cfa", list(sampling.weights = "w"),
  "HS 1939 CFA with sampling weights: lavaan's default robust SEs and Yuan-Bentler test")

case14b("weights_poldem_sem", POLDEM_SEM, POLDEMW_CSV, poldem_w, "sem", list(sampling.weights = "wt"),
  "Political Democracy SEM with sampling weights")

case14b("weights_hs_covariates", "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
visual ~ x7 + x8
textual ~ x7 + visual", HSW_CSV, hs_w, "sem", list(sampling.weights = "w"),
  "HS 1939 SEM with fixed exogenous covariates (x7, x8) and sampling weights")

case14b("weights_hs_mediation_mlr", HS_MEDIATION, HSW_CSV, hs_w, "sem", list(sampling.weights = "w", estimator = "MLR"),
  "HS 1939 latent mediation, estimator MLR named, sampling weights, defined parameters")

# ---- exploratory SEM (efa blocks) -------------------------------------------------------------

ESEM_HS3 <- "
efa(\"efa\")*f1 + efa(\"efa\")*f2 + efa(\"efa\")*f3 =~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9"

case14b("esem_hs_geomin", ESEM_HS3, HS_CSV, hs, "cfa", list(),
  "HS 1939: one 3-factor efa block, lavaan's default rotation (geomin, epsilon 0.001, oblique)")

case14b("esem_hs_oblimin", ESEM_HS3, HS_CSV, hs, "cfa", list(rotation = "oblimin"),
  "HS 1939: 3-factor efa block, oblimin (gamma 0)")

case14b("esem_hs_varimax", ESEM_HS3, HS_CSV, hs, "cfa", list(rotation = "varimax"),
  "HS 1939: 3-factor efa block, varimax (orthogonal, Kaiser row weights)")

case14b("esem_hs_geomin_orthogonal", ESEM_HS3, HS_CSV, hs, "cfa",
  list(rotation.args = list(orthogonal = TRUE)),
  "HS 1939: 3-factor efa block, orthogonal geomin")

case14b("esem_hs_block_and_cfa", "
efa(\"efa1\")*visual + efa(\"efa1\")*textual =~ x1 + x2 + x3 + x4 + x5 + x6
speed =~ x7 + x8 + x9", HS_CSV, hs, "cfa", list(),
  "HS 1939 (lavaan's ESEM example): a 2-factor efa block next to a CFA factor")

case14b("esem_poldem_sem", "
efa(\"dem\")*d1 + efa(\"dem\")*d2 =~ y1 + y2 + y3 + y4 + y5 + y6 + y7 + y8
ind60 =~ x1 + x2 + x3
d1 + d2 ~ ind60", POLDEM_CSV, poldem, "sem", list(),
  "Political Democracy: a 2-factor efa block regressed on a CFA factor (ESEM inside a SEM)")

ESEM_HS2 <- "
efa(\"e\")*f1 + efa(\"e\")*f2 =~ x1 + x2 + x3 + x4 + x5 + x6"
HS_MISSING_CSV <- "tests/golden/data/hs_missing10.csv"

case14b("esem_hs_mlr", ESEM_HS2, HS_CSV, hs, "cfa", list(estimator = "MLR"),
  "HS 1939: 2-factor efa block with MLR (bordered sandwich SEs, Yuan-Bentler test)")

case14b("esem_hs_fiml", ESEM_HS2, HS_MISSING_CSV, read.csv(HS_MISSING_CSV), "cfa",
  list(missing = "ml"), "HS 1939 with 10% missing: 2-factor efa block by FIML")

case14b("esem_hs_gls", ESEM_HS2, HS_CSV, hs, "cfa", list(estimator = "GLS"),
  "HS 1939: 2-factor efa block by GLS")

hsm_w <- read.csv(HS_MISSING_CSV)
set.seed(7)
hsm_w$w <- round(runif(nrow(hsm_w), 0.5, 3), 3)
HSMW_CSV <- "tests/golden/data/hs_missing10_weighted.csv"
write.csv(hsm_w, HSMW_CSV, row.names = FALSE)
hsm_w <- read.csv(HSMW_CSV)

case14b("weights_hs_fiml", HS_CFA, HSMW_CSV, hsm_w, "cfa",
  list(sampling.weights = "w", missing = "ml"),
  "HS 1939 with 10% missing cells: FIML with sampling weights (weighted casewise likelihood,
   weighted EM for h1, weighted case scores for the robust SEs and Yuan-Bentler test)")

case14b("weights_esem_hs", ESEM_HS2, HSW_CSV, hs_w, "cfa", list(sampling.weights = "w"),
  "HS 1939: a 2-factor efa block with sampling weights (bordered sandwich SEs)")

write_golden(list(lavaan_version = as.character(packageVersion("lavaan")), cases = CASES14B),
             "lavaan14b_cases.json")
