# Golden results from R lavaan 0.6-14 for issue 16 (FIML speed): data with much missing, where
# the unrestricted (h1) moments need many EM steps and semwidget finishes them by Newton's
# method. Same case format as make_lavaan14_golden.R, indexed in lavaan14/sparse_cases.json;
# lavaan's h1 (EM) moments and unrestricted log-likelihood of each case in
# lavaan14/sparse_h1.json.
#
# Run from the repository root:   Rscript tests/golden/make_fiml_sparse_golden.R
# Writes the data files tests/golden/data/sparse_*.csv, the case files and the two indexes.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")   # HS_CFA, POLDEM_SEM

CASES14 <- list()
source("tests/golden/lavaan14_helpers.R")  # case14()

hs <- read.csv(HS_CSV)[, paste0("x", 1:9)]
poldem <- read.csv(POLDEM_CSV)[, c(paste0("y", 1:8), paste0("x", 1:3))]

# `share` of the cells missing completely at random; a row left empty gets its first value back.
mcar <- function(d, share, seed) {
  set.seed(seed)
  m <- as.matrix(d)
  gone <- matrix(runif(length(m)) < share, nrow(m))
  gone[rowSums(!gone) == 0, 1] <- FALSE
  m[gone] <- NA
  as.data.frame(m)
}

# Missing at random: x1 always seen; each other value missing with a probability that rises
# with x1 (logistic, about half of them overall).
mar <- function(d, seed) {
  set.seed(seed)
  m <- as.matrix(d)
  z <- as.numeric(scale(m[, 1]))
  for (j in 2:ncol(m)) m[runif(nrow(m)) < plogis(1.2 * z), j] <- NA
  as.data.frame(m)
}

written <- function(d, name) {
  path <- file.path("tests/golden/data", paste0(name, ".csv"))
  write.csv(d, path, row.names = FALSE, na = "")
  list(path = path, data = read.csv(path))
}

HS_SEM <- paste(HS_CFA, "speed ~ visual + textual", sep = "\n")
H1 <- list()
# lavaan's EM for h1 stops after 500 steps at a change of 1e-5 by default, short of the maximum
# with this much missing; here it runs to convergence (semwidget's h1 is converged always).
sparse <- function(name, fun, model, d, notes) {
  fit <- case14(name, fun, model, list(data = d$data, missing = "ml", em.h1.iter.max = 100000L,
                                       em.h1.tol = 1e-10), d$path, list(missing = "fiml"),
                paste0(notes, "; lavaan's h1 EM run to convergence (em.h1.iter.max = 1e5, ",
                       "em.h1.tol = 1e-10)"))
  h1 <- lavInspect(fit, "sampstat.h1")
  H1[[name]] <<- list(names = rownames(h1$cov), mean = unname(as.numeric(h1$mean)),
                      cov = unname(lapply(seq_len(nrow(h1$cov)),
                                          function(i) as.numeric(h1$cov[i, ]))),
                      unrestricted_logl = unname(fitMeasures(fit, "unrestricted.logl")))
}

sparse("sparse_hs_cfa_mcar50", "cfa", HS_CFA, written(mcar(hs, 0.5, 1601), "sparse_hs_mcar50"),
       "HS 1939, half of the cells missing completely at random")
# A 12-indicator CFA (3 correlated factors, loadings .5-.8), n = 1000, 60% of the cells missing:
# almost every row its own pattern, as in benchmarks/bench_fiml.py's pathological case.
SIM_CFA <- "
f1 =~ v1 + v2 + v3 + v4
f2 =~ v5 + v6 + v7 + v8
f3 =~ v9 + v10 + v11 + v12"
sim <- local({
  set.seed(1602)
  lam <- matrix(0, 12, 3)
  for (f in 1:3) lam[(4 * f - 3):(4 * f), f] <- runif(4, 0.5, 0.8)
  phi <- matrix(0.3, 3, 3) + diag(0.7, 3)
  sigma <- lam %*% phi %*% t(lam)
  diag(sigma) <- 1
  x <- matrix(rnorm(1000 * 12), 1000) %*% chol(sigma)
  colnames(x) <- paste0("v", 1:12)
  as.data.frame(round(x, 4))
})
sparse("sparse_sim_cfa_mcar60", "cfa", SIM_CFA, written(mcar(sim, 0.6, 1605), "sparse_sim_mcar60"),
       "simulated 12-indicator CFA, n = 1000, 60% of the cells missing completely at random")
sparse("sparse_hs_sem_mar", "sem", HS_SEM, written(mar(hs, 1603), "sparse_hs_mar"),
       "HS 1939 structural model, x2-x9 missing at random given x1")
# (at 25 % missing the likelihood is flat enough in some variances, n = 75, that nlminb stops
# 1e-4 from the maximum at a log-likelihood 2e-8 below it, and a tighter rel.tol fails)
sparse("sparse_poldem_sem_mcar20", "sem", POLDEM_SEM,
       written(mcar(poldem, 0.2, 1604), "sparse_poldem_mcar20"),
       "Political democracy, a fifth of the cells missing completely at random")

write_golden(H1, file.path("lavaan14", "sparse_h1.json"))
write_golden(list(cases = CASES14), file.path("lavaan14", "sparse_cases.json"))
