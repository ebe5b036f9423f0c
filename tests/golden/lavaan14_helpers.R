# Shared by make_lavaan14_golden.R and make_lavaan14_groups_golden.R: run one lavaan call and
# write one case file into tests/golden/lavaan14/ (the caller sets CASES14 <- list()).

# Runs one lavaan function (by name, so lavaan reads its own name) and keeps its warnings.
run14 <- function(fun, args) {
  warns <- character(0)
  fit <- withCallingHandlers(
    do.call(fun, args),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    }
  )
  list(fit = fit, warnings = as.list(warns))
}

# One case -> one JSON. `data_path` is what Python reads (NULL for summary-statistics input);
# `py` the semwidget.fit keyword arguments besides model and data.
case14 <- function(name, fun, model, args, data_path, py, notes = "") {
  run <- run14(fun, c(list(model = model), args))  # fun: "cfa", "sem" or "growth"
  fit <- run$fit
  fm <- fitMeasures(fit)
  pe <- parameterEstimates(fit, standardized = TRUE)
  if (!"label" %in% names(pe)) pe$label <- ""
  keep <- intersect(c("lhs", "op", "rhs", "group", "label", "est", "se", "z", "pvalue", "ci.lower",
                      "ci.upper", "std.lv", "std.all"), names(pe))
  out <- list(
    name = name,
    "function" = fun,
    model = model,
    data = if (is.null(data_path)) NULL else data_path,
    py = if (length(py)) py else structure(list(), names = character(0)),
    options = effective_options(fit, fun),
    nobs = lavInspect(fit, "nobs"),
    estimates = rows_of(pe[, keep]),
    fit = named_dict(fm),
    r2 = if (is.list(r2 <- lavInspect(fit, "r2"))) lapply(r2, named_dict) else named_dict(r2),
    lavaan_version = as.character(packageVersion("lavaan")),
    lavaan_warnings = run$warnings,
    notes = notes
  )
  write_golden(out, file.path("lavaan14", paste0(name, ".json")))
  CASES14[[name]] <<- list(file = paste0(name, ".json"), "function" = fun, notes = notes)
  invisible(fit)
}

