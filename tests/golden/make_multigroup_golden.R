# Golden results from R lavaan for multiple groups and measurement invariance (issue 12).
#
# Run from the repository root:   Rscript tests/golden/make_multigroup_golden.R
# Writes semwidget/datasets/hs1939_school.csv (HolzingerSwineford1939 with its grouping columns),
# tests/golden/data/sim3groups.csv (a simulated three-group data set), one JSON per case in
# tests/golden/multigroup/, multigroup/cases.json, and the lavTestLRT / lavTestScore tables of
# the HS invariance ladder (multigroup/hs_ladder.json).

source("tests/golden/golden_helpers.R")

OUT <- "multigroup"
HS_SCHOOL_CSV <- "semwidget/datasets/hs1939_school.csv"
SIM3_CSV <- "tests/golden/data/sim3groups.csv"

hs_full <- HolzingerSwineford1939[, c("id", "sex", "ageyr", "agemo", "school",
                                      paste0("x", 1:9))]
hs_full$school <- as.character(hs_full$school)
write.csv(hs_full, HS_SCHOOL_CSV, row.names = FALSE)
hs <- read.csv(HS_SCHOOL_CSV)

# Three groups of 150, 200 and 250 from a two-factor model with a regression; group 3 has a
# larger path and a shifted intercept, so invariance of regressions and intercepts can fail.
simulate_three <- function() {
  set.seed(1212)
  pop <- function(b, shift) paste0(
    "f1 =~ 1*y1 + 0.8*y2 + 0.7*y3\n f2 =~ 1*y4 + 0.9*y5 + 0.6*y6\n",
    "f2 ~ ", b, "*f1 + 0.3*x1\n y3 ~ ", shift, "*1\n")
  parts <- list(
    simulateData(pop(0.4, 0), sample.nobs = 150),
    simulateData(pop(0.4, 0), sample.nobs = 200),
    simulateData(pop(0.8, 0.5), sample.nobs = 250))
  for (k in 1:3) parts[[k]]$grp <- c("north", "south", "west")[k]
  d <- do.call(rbind, parts)
  d <- d[, c("grp", "x1", paste0("y", 1:6))]
  d[, -1] <- round(d[, -1], 4)
  write.csv(d, SIM3_CSV, row.names = FALSE)
  cat(sprintf("wrote %s (%d rows)\n", SIM3_CSV, nrow(d)))
}
simulate_three()
sim3 <- read.csv(SIM3_CSV)

# HS by school with ~10% of x1..x9 missing completely at random (ageyr complete), for FIML.
MISS_CSV <- "tests/golden/data/hs_school_missing10.csv"
make_missing <- function() {
  set.seed(1213)
  xs <- paste0("x", 1:9)
  d <- hs[, c("school", "ageyr", xs)]  # ageyr stays complete: a fixed covariate
  m <- as.matrix(d[, xs])
  m[sample.int(length(m), size = round(0.10 * length(m)))] <- NA
  d[, xs] <- m
  d <- d[rowSums(!is.na(m)) > 0, ]
  write.csv(d, MISS_CSV, row.names = FALSE, na = "")
  cat(sprintf("wrote %s (%d rows)\n", MISS_CSV, nrow(d)))
}
make_missing()
hs_miss <- read.csv(MISS_CSV)

HS3 <- "visual =~ x1 + x2 + x3\ntextual =~ x4 + x5 + x6\nspeed =~ x7 + x8 + x9"
HS_C <- paste("visual =~ x1 + c(a1, a2)*x2 + c(NA, 0.5)*x3",
              "textual =~ x4 + c(\"l1\", \"l1\")*x5 + x6",
              "speed =~ x7 + x8 + c(1, NA)*x9",
              "diff := a1 - a2", sep = "\n")
HS_STRUCT <- paste(HS3, "textual ~ visual", "speed ~ visual + textual", sep = "\n")
HS_MIMIC <- paste("visual =~ x1 + x2 + x3", "textual =~ x4 + x5 + x6",
                  "visual ~ ageyr", "textual ~ ageyr + sex", sep = "\n")
HS_RESCOV <- paste(HS3, "x1 ~~ x4", sep = "\n")
HS_PATH_MODEL <- paste("x4 ~ x1 + x2", "x5 ~ x4 + x1", "x6 ~ x5", sep = "\n")
HS_LVMEANS <- paste(HS3, "visual ~ c(0, NA)*1", "textual ~ c(0, NA)*1", "speed ~ c(0, NA)*1",
                    "x1 ~ c(i1, i1)*1", "x4 ~ c(i4, i4)*1", "x7 ~ c(i7, i7)*1", sep = "\n")
SIM3 <- paste("f1 =~ y1 + y2 + y3", "f2 =~ y4 + y5 + y6", "f2 ~ b*f1 + x1",
              "y1 ~~ y4", sep = "\n")
SIM3_C <- paste("f1 =~ y1 + y2 + y3", "f2 =~ y4 + y5 + y6",
                "f2 ~ c(b1, b2, b3)*f1 + x1", "d13 := b1 - b3", sep = "\n")

CASES <- list()

# call_string() of golden_helpers.R writes one value per option; group.equal has several.
mg_call_string <- function(fun, call_args) {
  parts <- vapply(names(call_args), function(n) {
    v <- call_args[[n]]
    val <- if (is.character(v)) {
      q <- sprintf("\"%s\"", v)
      if (length(q) > 1) sprintf("c(%s)", paste(q, collapse = ", ")) else q
    } else deparse(v)
    sprintf("%s = %s", n, val)
  }, character(1))
  sprintf("%s(%s)", fun, paste(c("model", "data", parts), collapse = ", "))
}

golden_mg <- function(name, model, data_path, data, fun, call_args, notes) {
  run <- run_lavaan(fun, model, data, call_args)
  fit <- run$fit
  fm <- fitMeasures(fit)
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  pe <- pe[, c("lhs", "op", "rhs", "group", "label", "est", "se", "z", "pvalue", "ci.lower",
               "ci.upper", "std.lv", "std.all")]
  pt <- parTable(fit)
  pt <- pt[, c("id", "lhs", "op", "rhs", "user", "group", "free", "ustart", "exo", "label",
               "plabel", "est", "se")]
  r2 <- lavInspect(fit, "r2")
  labels <- lavInspect(fit, "group.label")
  out <- list(
    name = name, model = model, data = data_path,
    call = mg_call_string(fun, call_args),
    call_args = call_args,
    options = effective_options(fit, fun),
    group_labels = as.list(labels),
    nobs = as.list(lavInspect(fit, "nobs")),
    ntotal = lavInspect(fit, "ntotal"),
    npar = unname(fm[["npar"]]),
    df = unname(fm[["df"]]),
    converged = lavInspect(fit, "converged"),
    estimates = rows_of(pe),
    fit = named_dict(fm),
    r2 = setNames(lapply(r2, named_dict), labels),
    partable = rows_of(pt),
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_warnings = run$warnings,
    notes = notes
  )
  write_golden(out, file.path(OUT, paste0(name, ".json")))
  CASES[[name]] <<- list(file = paste0(name, ".json"), "function" = fun, call = out$call,
                         notes = notes)
  invisible(fit)
}

HS_PATH <- HS_SCHOOL_CSV
g <- list(group = "school")
f_conf <- golden_mg("hs_configural", HS3, HS_PATH, hs, "cfa", g,
                    "HS 3-factor CFA by school: configural")
f_metric <- golden_mg("hs_metric", HS3, HS_PATH, hs, "cfa",
                      c(g, list(group.equal = "loadings")), "metric invariance")
f_scalar <- golden_mg("hs_scalar", HS3, HS_PATH, hs, "cfa",
                      c(g, list(group.equal = c("loadings", "intercepts"))),
                      "scalar invariance; latent means free from group 2")
f_strict <- golden_mg("hs_strict", HS3, HS_PATH, hs, "cfa",
                      c(g, list(group.equal = c("loadings", "intercepts", "residuals"))),
                      "strict invariance")
golden_mg("hs_partial", HS3, HS_PATH, hs, "cfa",
          c(g, list(group.equal = c("loadings", "intercepts"),
                    group.partial = c("x3 ~ 1", "x7 ~ 1"))),
          "partial scalar invariance: intercepts of x3 and x7 free")
golden_mg("hs_c_modifiers", HS_C, HS_PATH, hs, "cfa", g,
          "group-specific labels and fixed values with c(), a defined difference")
golden_mg("hs_c_metric", HS_C, HS_PATH, hs, "cfa", c(g, list(group.equal = "loadings")),
          "c() with equal loadings: user labels stay, fixed group-1 values are copied")
golden_mg("hs_lv_equal", HS3, HS_PATH, hs, "cfa",
          c(g, list(group.equal = c("loadings", "intercepts", "means", "lv.variances",
                                    "lv.covariances"))),
          "equal latent means, variances and covariances")
golden_mg("hs_struct_regressions", HS_STRUCT, HS_PATH, hs, "sem",
          c(g, list(group.equal = c("loadings", "regressions"))),
          "structural model with equal loadings and regressions")
golden_mg("hs_mimic_groups", HS_MIMIC, HS_PATH, hs, "sem",
          c(g, list(group.equal = c("loadings", "intercepts", "regressions"))),
          "observed covariates (fixed.x) by group with equal regressions")
golden_mg("hs_rescov_groups", HS_RESCOV, HS_PATH, hs, "cfa",
          c(g, list(group.equal = c("loadings", "residuals", "residual.covariances"))),
          "residual covariance held equal with the residual variances")
golden_mg("hs_stdlv_metric", HS3, HS_PATH, hs, "cfa",
          c(g, list(std.lv = TRUE, group.equal = "loadings")),
          "std.lv with equal loadings")
golden_mg("hs_path_groups", HS_PATH_MODEL, HS_PATH, hs, "sem",
          c(g, list(group.equal = c("regressions", "intercepts", "residuals"))),
          "observed path model by group, covariates x1 x2 fixed, equal regressions")
golden_mg("hs_lvmeans_by_hand", HS_LVMEANS, HS_PATH, hs, "cfa",
          c(g, list(group.equal = "loadings")),
          "latent means freed by hand with c(0, NA)*1, marker intercepts equal by labels")
golden_mg("hs_means_equal", HS3, HS_PATH, hs, "cfa",
          c(g, list(group.equal = c("loadings", "intercepts", "means"))),
          "equal latent means (all fixed at 0)")
golden_mg("hs_orthogonal_groups", HS3, HS_PATH, hs, "cfa",
          c(g, list(orthogonal = TRUE, group.equal = "lv.variances")),
          "orthogonal factors with equal latent variances")
golden_mg("hs_gls_metric", HS3, HS_PATH, hs, "cfa",
          c(g, list(estimator = "GLS", group.equal = "loadings")),
          "GLS with groups (weights n_g - 1, unbiased covariances), equal loadings")
golden_mg("hs_uls_scalar", HS3, HS_PATH, hs, "cfa",
          c(g, list(estimator = "ULS", group.equal = c("loadings", "intercepts"))),
          "ULS with groups, scalar invariance")
golden_mg("hs_gls_mimic", HS_MIMIC, HS_PATH, hs, "sem",
          c(g, list(estimator = "GLS", group.equal = c("loadings", "regressions"))),
          "GLS with groups and fixed covariates")
golden_mg("hs_intercepts_only", paste("visual =~ x1 + x2 + x3", "textual =~ x4 + x5 + x6",
                                      "visual ~ ageyr", "textual ~ visual", sep = "\n"),
          HS_PATH, hs, "sem", c(g, list(group.equal = "intercepts")),
          "equal intercepts with free loadings: a likelihood with a second, worse optimum")
golden_mg("sim3_regressions", SIM3, SIM3_CSV, sim3, "sem",
          list(group = "grp", group.equal = c("loadings", "regressions")),
          "simulated three groups; shared label b plus equal loadings and regressions")
golden_mg("sim3_configural", SIM3, SIM3_CSV, sim3, "sem", list(group = "grp"),
          "simulated three groups, configural (the shared label b is still equal)")
golden_mg("sim3_c_labels", SIM3_C, SIM3_CSV, sim3, "sem",
          list(group = "grp", group.equal = "loadings"),
          "three groups with one label per group and a defined difference")

golden_mg("hs_fiml_configural", HS3, MISS_CSV, hs_miss, "cfa",
          list(group = "school", missing = "ml"),
          "FIML with groups (10% missing completely at random), configural")
golden_mg("hs_fiml_scalar", HS3, MISS_CSV, hs_miss, "cfa",
          list(group = "school", missing = "ml", group.equal = c("loadings", "intercepts")),
          "FIML with groups, scalar invariance")

golden_mg("hs_fiml_covariate", HS_MIMIC_FIML <- paste("visual =~ x1 + x2 + x3",
          "textual =~ x4 + x5 + x6", "visual ~ ageyr", sep = "\n"), MISS_CSV, hs_miss, "sem",
          list(group = "school", missing = "ml", group.equal = "loadings"),
          "FIML with groups and a complete fixed covariate (logl conditional on it)")

# ---- invariance ladder: lavTestLRT and lavTestScore ----------------------------------------
lrt <- lavTestLRT(f_conf, f_metric, f_scalar, f_strict)
lrt_df <- data.frame(model = c("configural", "metric", "scalar", "strict"),
                     Df = lrt$Df, AIC = lrt$AIC, BIC = lrt$BIC, Chisq = lrt$Chisq,
                     Chisq_diff = lrt[["Chisq diff"]], Df_diff = lrt[["Df diff"]],
                     p = lrt[["Pr(>Chisq)"]])
pair <- lavTestLRT(f_conf, f_metric)
score <- lavTestScore(f_scalar)
pt_scalar <- parTable(f_scalar)
uni <- score$uni
# name the constraints by their parameters, as a reader would
name_of <- function(plabel) {
  r <- pt_scalar[pt_scalar$plabel == plabel, ]
  if (r$op == "~1") paste0(r$lhs, " ~ 1") else paste(r$lhs, r$op, r$rhs)
}
uni$parameter <- vapply(uni$lhs, name_of, character(1))
uni$group_rhs <- vapply(uni$rhs, function(p) pt_scalar$group[pt_scalar$plabel == p],
                        numeric(1))
score_metric <- lavTestScore(f_metric)$uni
write_golden(list(
  lavaan_version = as.character(packageVersion("lavaan")),
  model = HS3, data = HS_PATH, group = "school",
  lrt = rows_of(lrt_df),
  pair_lrt = list(Chisq_diff = pair[["Chisq diff"]][2], Df_diff = pair[["Df diff"]][2],
                  p = pair[["Pr(>Chisq)"]][2]),
  score_total = list(X2 = unname(score$test$X2), df = unname(score$test$df),
                     p = unname(score$test$p.value)),
  score_uni = rows_of(uni[, c("lhs", "op", "rhs", "X2", "df", "p.value", "parameter",
                              "group_rhs")]),
  score_uni_metric = rows_of(score_metric[, c("lhs", "op", "rhs", "X2", "df", "p.value")])
), file.path(OUT, "hs_ladder.json"))

# ---- modification indices by group ----------------------------------------------------------
mi_case <- function(fit, model, call_args) {
  mi <- modindices(fit)
  list(model = model, call_args = call_args,
       modindices = rows_of(mi[, c("lhs", "op", "rhs", "group", "mi", "epc", "sepc.lv",
                                   "sepc.all", "sepc.nox")]))
}
f_mimic <- sem(HS_MIMIC, hs, group = "school",
               group.equal = c("loadings", "intercepts", "regressions"))
write_golden(list(
  lavaan_version = as.character(packageVersion("lavaan")), data = HS_PATH, group = "school",
  cases = list(
    scalar = mi_case(f_scalar, HS3, list(group.equal = c("loadings", "intercepts"))),
    configural = mi_case(f_conf, HS3, list(group.equal = character(0))),
    mimic = mi_case(f_mimic, HS_MIMIC,
                    list(group.equal = c("loadings", "intercepts", "regressions"))))
), file.path(OUT, "modindices_groups.json"))

# ---- bootstrap within groups (not in CASES: its SEs are Monte Carlo numbers) -------------
HS_BOOT <- paste(HS3, "textual ~ c(a1, a2)*visual", "speed ~ c(b1, b2)*textual",
                 "ind1 := a1*b1", "ind2 := a2*b2", sep = "\n")
set.seed(1214)
f_boot <- sem(HS_BOOT, hs, group = "school", group.equal = "loadings", se = "bootstrap",
              bootstrap = 1000)
pe_boot <- parameterEstimates(f_boot, boot.ci.type = "perc")
pe_boot <- pe_boot[, c("lhs", "op", "rhs", "group", "label", "est", "se", "ci.lower", "ci.upper")]
write_golden(list(
  lavaan_version = as.character(packageVersion("lavaan")),
  model = HS_BOOT, data = HS_PATH, group = "school", group.equal = "loadings",
  call = "sem(model, data, group = \"school\", group.equal = \"loadings\", se = \"bootstrap\", bootstrap = 1000)",
  seed = 1214, bootstrap = 1000,
  estimates = rows_of(pe_boot)
), file.path(OUT, "hs_boot_groups.json"))

# ---- reliability by group (semTools) on the metric model ----------------------------------
suppressPackageStartupMessages(library(semTools))
by_group <- function(tab) {
  tab <- as.data.frame(tab)
  setNames(lapply(seq_len(nrow(tab)), function(i) named_dict(unlist(tab[i, -1]))),
           as.character(tab$group))
}
write_golden(list(
  lavaan_version = as.character(packageVersion("lavaan")),
  semtools_version = as.character(packageVersion("semTools")),
  model = HS3, data = HS_PATH, group = "school", group.equal = "loadings",
  omega = by_group(compRelSEM(f_metric)),
  omega_implied_var = by_group(compRelSEM(f_metric, obs.var = FALSE)),
  alpha = by_group(compRelSEM(f_metric, tau.eq = TRUE)),
  AVE = by_group(AVE(f_metric))
), file.path(OUT, "semtools_metric.json"))

write_golden(list(lavaan_version = as.character(packageVersion("lavaan")), cases = CASES),
             file.path(OUT, "cases.json"))
