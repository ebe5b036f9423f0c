# Shared helpers for the golden-file scripts (make_lavaan_golden.R, make_semtools_golden.R).
# Sourced from the repository root; turns lavaan objects into plain lists that jsonlite writes
# as JSON with full precision (15 significant digits) and NA/NaN/Inf written as null.

suppressPackageStartupMessages({
  library(lavaan)
  library(jsonlite)
})

if (!file.exists("semwidget/datasets/hs1939.csv")) {
  stop("run this script from the repository root (semwidget/datasets/hs1939.csv not found)")
}

GOLDEN_DIR <- "tests/golden"
HS_CSV <- "semwidget/datasets/hs1939.csv"
POLDEM_CSV <- "semwidget/datasets/poldem.csv"

# A data.frame as a list of row objects; every column kept, NA written as null.
rows_of <- function(df) {
  df <- as.data.frame(df, stringsAsFactors = FALSE)
  lapply(seq_len(nrow(df)), function(i) {
    row <- lapply(df[i, , drop = FALSE], function(v) {
      v <- unname(v)
      if (is.factor(v)) v <- as.character(v)
      v
    })
    row
  })
}

# A named numeric vector as a name -> number dict.
named_dict <- function(x) {
  x <- unclass(x)
  as.list(setNames(as.numeric(x), names(x)))
}

# A (symmetric) matrix as {"names": [...], "matrix": [[...], ...]} (row-major).
matrix_dict <- function(m) {
  m <- unclass(m)
  list(
    names = rownames(m),
    matrix = lapply(seq_len(nrow(m)), function(i) as.numeric(m[i, ]))
  )
}

# The lavaan options that decide the numbers, read back from the fitted object, so the
# JSON says what lavaan actually did (not only what was passed).
effective_options <- function(fit, fun) {
  o <- lavInspect(fit, "options")
  list(
    "function" = fun,
    estimator = o$estimator,
    missing = o$missing,
    std.lv = o$std.lv,
    orthogonal = o$orthogonal,
    fixed.x = o$fixed.x,
    meanstructure = o$meanstructure,
    auto.fix.single = o$auto.fix.single,
    se = o$se,
    information = o$information[1],
    h1.information = o$h1.information[1],
    observed.information = o$observed.information[1],
    test = o$test[1],
    likelihood = o$likelihood
  )
}

# Writes one JSON object to tests/golden/<file>.
write_golden <- function(obj, file) {
  path <- file.path(GOLDEN_DIR, file)
  txt <- toJSON(obj, auto_unbox = TRUE, digits = NA, na = "null", null = "null",
                pretty = TRUE)
  writeLines(txt, path)
  # Fail loudly if what we wrote does not parse back.
  invisible(fromJSON(path, simplifyVector = FALSE))
  cat(sprintf("wrote %s\n", path))
}

# Calls cfa()/sem() with the given options; returns the fit, the elapsed seconds and the
# warnings lavaan gave (kept in the JSON: a golden case that warns should say so).
run_lavaan <- function(fun, model, data, call_args) {
  if (!fun %in% c("cfa", "sem")) stop("unknown lavaan function: ", fun)
  warns <- character(0)
  keep_warning <- function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  }
  # By name, not as a function object: lavaan reads its own name from match.call().
  secs <- system.time(
    fit <- withCallingHandlers(
      do.call(fun, c(list(model = model, data = data), call_args)),
      warning = keep_warning
    )
  )
  list(fit = fit, seconds = unname(secs["elapsed"]), warnings = as.list(warns))
}

# A readable form of the call, for the JSON ("sem(model, data, estimator = \"GLS\")").
call_string <- function(fun, call_args) {
  parts <- vapply(names(call_args), function(n) {
    v <- call_args[[n]]
    val <- if (is.character(v)) sprintf("\"%s\"", v) else deparse(v)
    sprintf("%s = %s", n, val)
  }, character(1))
  sprintf("%s(%s)", fun, paste(c("model", "data", parts), collapse = ", "))
}
