# Golden results from R lavaan for ordinal indicators with group= (WLSMV / DWLS by school).
#
# Run from the repository root:   Rscript tests/golden/make_ordinal_groups_golden.R
# Reads tests/golden/data/hs_ordinal.csv (written by make_ordinal_golden.R: the HS items cut
# into 4 categories at fixed quantiles of the whole sample), adds the school column of
# HolzingerSwineford1939 (same rows) and writes tests/golden/data/hs_ordinal_school.csv and
# tests/golden/ordgroups_<case>.json with lavaan's estimates (by group), std.all, R², fit
# measures, the per-group sample statistics and the full parameter table (to show lavaan's
# identification defaults), plus tests/golden/ordgroups_cases.json.

source("tests/golden/golden_helpers.R")

ord <- read.csv("tests/golden/data/hs_ordinal.csv")
school <- read.csv("semwidget/datasets/hs1939_school.csv")$school
ORDS_CSV <- "tests/golden/data/hs_ordinal_school.csv"
keep <- paste0("x", 1:9, "c4")
out_data <- data.frame(school = school, ord[, c(keep, "x4", "x5", "x6")])
write.csv(out_data, ORDS_CSV, row.names = FALSE)
dat <- read.csv(ORDS_CSV)

HS4 <- "
visual =~ x1c4 + x2c4 + x3c4
textual =~ x4c4 + x5c4 + x6c4
speed =~ x7c4 + x8c4 + x9c4"

CASES <- list()
group_case <- function(name, call_args, notes, model = HS4, ordered = keep) {
  args <- c(list(ordered = ordered, group = "school"), call_args)
  t0 <- proc.time()[["elapsed"]]
  fit <- do.call("cfa", c(list(model = model, data = quote(dat)), args))
  secs <- proc.time()[["elapsed"]] - t0
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  pe <- pe[, c("lhs", "op", "rhs", "group", "label", "est", "se", "z", "pvalue", "std.lv",
               "std.all")]
  pt <- parTable(fit)[, c("lhs", "op", "rhs", "group", "free", "label", "plabel", "est")]
  ss <- lavInspect(fit, "sampstat")
  r2 <- lavInspect(fit, "r2")
  out <- list(
    name = name, model = model, data = ORDS_CSV, ordered = ordered, group = "school",
    call_args = call_args,
    group_labels = lavInspect(fit, "group.label"),
    parameterization = lavInspect(fit, "options")$parameterization,
    nobs = lavInspect(fit, "nobs"), converged = lavInspect(fit, "converged"),
    estimates = rows_of(pe),
    partable = rows_of(pt),
    fit = named_dict(fitMeasures(fit)),
    r2 = lapply(r2, named_dict),
    sample_th = lapply(ss, function(s) named_dict(s$th)),
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_seconds = secs, notes = notes
  )
  file <- paste0("ordgroups_", name, ".json")
  write_golden(out, file)
  CASES[[name]] <<- list(file = file, notes = notes)
}

TL <- c("thresholds", "loadings")
group_case("configural_wlsmv", list(), "configural, WLSMV, delta")
group_case("configural_dwls", list(estimator = "DWLS"), "configural, DWLS, delta")
group_case("configural_theta", list(parameterization = "theta"), "configural, WLSMV, theta")
group_case("configural_ulsmv", list(estimator = "ULSMV"), "configural, ULSMV, delta")
group_case("configural_wls", list(estimator = "WLS"), "configural, full WLS, delta")
HS_MIXED <- "
visual =~ x1c4 + x2c4 + x3c4
textual =~ x4 + x5 + x6
speed =~ x7c4 + x8c4 + x9c4"
group_case("configural_mixed", list(), "configural, WLSMV, x4-x6 numeric (polyserial)",
           model = HS_MIXED, ordered = setdiff(keep, c("x4c4", "x5c4", "x6c4")))
group_case("tl_wlsmv", list(group.equal = TL), "thresholds + loadings equal, WLSMV, delta")
group_case("tl_theta", list(group.equal = TL, parameterization = "theta"),
           "thresholds + loadings equal, WLSMV, theta")
group_case("tli_wlsmv", list(group.equal = c(TL, "intercepts")),
           "thresholds + loadings + intercepts equal, WLSMV, delta")
group_case("tli_dwls_theta", list(group.equal = c(TL, "intercepts"), estimator = "DWLS",
                                  parameterization = "theta"),
           "thresholds + loadings + intercepts equal, DWLS, theta")
group_case("tl_ulsmv", list(group.equal = TL, estimator = "ULSMV"),
           "thresholds + loadings equal, ULSMV, delta")
group_case("tl_wls", list(group.equal = TL, estimator = "WLS"),
           "thresholds + loadings equal, full WLS, delta")
write_golden(list(lavaan_version = as.character(packageVersion("lavaan")), cases = CASES),
             "ordgroups_cases.json")
