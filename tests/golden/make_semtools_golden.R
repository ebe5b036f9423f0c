# Golden results for the measurement-quality and modification-index reports (semTools + lavaan).
#
# Run from the repository root:   Rscript tests/golden/make_semtools_golden.R
# Writes tests/golden/semtools_<case>.json for hs_cfa, poldem_sem and hs_mediation (the same
# models, data and lavaan calls as the files of make_lavaan_golden.R).

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")
suppressPackageStartupMessages(library(semTools))

# Named vector / one-row data.frame -> name -> number dict.
as_dict <- function(x) {
  if (is.data.frame(x)) x <- unlist(x[1, , drop = TRUE])
  named_dict(x)
}

# Cronbach's alpha from the item covariance matrix (textbook formula; the N vs N-1 divisor
# cancels): alpha = k / (k - 1) * (1 - sum(diag(S)) / sum(S)).
alpha_textbook <- function(data, items) {
  s <- cov(data[, items, drop = FALSE], use = "complete.obs")
  k <- length(items)
  k / (k - 1) * (1 - sum(diag(s)) / sum(s))
}

semtools_case <- function(name, model, data_path, data, fun, call_args = list()) {
  run <- run_lavaan(fun, model, data, call_args)
  fit <- run$fit
  pt <- parTable(fit)
  loadings <- pt[pt$op == "=~", ]
  constructs <- unique(loadings$lhs)
  indicators <- lapply(setNames(constructs, constructs),
                       function(f) as.list(loadings$rhs[loadings$lhs == f]))

  # CR and AVE as AMOS papers report them, from lavaan's standardized loadings.
  ss <- standardizedSolution(fit)
  std_load <- ss[ss$op == "=~", ]
  cr_tb <- sapply(constructs, function(f) {
    l <- std_load$est.std[std_load$lhs == f]
    sum(l)^2 / (sum(l)^2 + sum(1 - l^2))
  })
  ave_tb <- sapply(constructs, function(f) mean(std_load$est.std[std_load$lhs == f]^2))
  alpha_tb <- sapply(constructs, function(f) alpha_textbook(data, unlist(indicators[[f]])))

  # reliability() is deprecated in semTools 0.5-6 (it says so in a warning) but still computes.
  rel <- suppressWarnings(reliability(fit))
  rel_dict <- lapply(setNames(rownames(rel), rownames(rel)), function(r) as_dict(rel[r, ]))

  mi <- modindices(fit)

  out <- list(
    name = name,
    model = model,
    data = data_path,
    call = call_string(fun, call_args),
    options = effective_options(fit, fun),
    nobs = lavInspect(fit, "nobs"),
    constructs = as.list(constructs),
    indicators = indicators,
    compRelSEM = list(
      omega = as_dict(compRelSEM(fit)),
      omega_implied_var = as_dict(compRelSEM(fit, obs.var = FALSE)),
      alpha = as_dict(compRelSEM(fit, tau.eq = TRUE))
    ),
    reliability = rel_dict,
    AVE = as_dict(AVE(fit)),
    alpha_textbook = as_dict(alpha_tb),
    cr_textbook = as_dict(cr_tb),
    ave_textbook = as_dict(ave_tb),
    htmt = matrix_dict(htmt(model, data, htmt2 = FALSE)),
    htmt2 = matrix_dict(htmt(model, data, htmt2 = TRUE)),
    cor_lv = matrix_dict(lavInspect(fit, "cor.lv")),
    standardized_solution = rows_of(ss),
    modindices = rows_of(mi[, c("lhs", "op", "rhs", "mi", "epc", "sepc.lv", "sepc.all",
                                "sepc.nox")]),
    calls = list(
      compRelSEM.omega = "compRelSEM(fit)  # obs.var = TRUE: observed total variance",
      compRelSEM.omega_implied_var = "compRelSEM(fit, obs.var = FALSE)",
      compRelSEM.alpha = "compRelSEM(fit, tau.eq = TRUE)",
      reliability = "reliability(fit)",
      AVE = "AVE(fit)",
      alpha_textbook = "k/(k-1) * (1 - sum(diag(S))/sum(S)), S = cov(items)",
      cr_textbook = "(sum l)^2 / ((sum l)^2 + sum(1 - l^2)), l = standardizedSolution(fit) =~",
      ave_textbook = "mean(l^2), l = standardizedSolution(fit) =~",
      htmt = "htmt(model, data, htmt2 = FALSE)  # Henseler et al. 2015, arithmetic means",
      htmt2 = "htmt(model, data, htmt2 = TRUE)  # geometric means (semTools default)",
      cor_lv = "lavInspect(fit, \"cor.lv\")",
      standardized_solution = "standardizedSolution(fit)  # type = \"std.all\"",
      modindices = "modindices(fit)  # defaults: all rows, unsorted, free parameters removed"
    ),
    lavaan_version = as.character(packageVersion("lavaan")),
    semtools_version = as.character(packageVersion("semTools"))
  )
  write_golden(out, paste0("semtools_", name, ".json"))
}

hs <- read.csv(HS_CSV)
poldem <- read.csv(POLDEM_CSV)

semtools_case("hs_cfa", HS_CFA, HS_CSV, hs, "cfa")
semtools_case("poldem_sem", POLDEM_SEM, POLDEM_CSV, poldem, "sem")
semtools_case("hs_mediation", HS_MEDIATION, HS_CSV, hs, "sem")
