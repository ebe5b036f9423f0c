# Golden results from R lavaan 0.6-14: FIML with fixed covariates and group = (missing = "ml"
# drops, in each group, the rows whose covariates are missing; "ml.x" keeps them), also MLR.
#
# Run from the repository root:   Rscript tests/golden/make_lavaan14_groups_golden.R
# Writes tests/golden/lavaan14/groups_*.json and tests/golden/lavaan14/groups_cases.json.

source("tests/golden/golden_helpers.R")
source("tests/golden/golden_models.R")   # HS_COVARIATE
source("tests/golden/lavaan14_helpers.R")

OUT_DIR <- "tests/golden/lavaan14"
dir.create(OUT_DIR, showWarnings = FALSE)
CASES14 <- list()

HS_SCHOOL_MISSING <- "tests/golden/data/hs_school_missing10.csv"  # make_multigroup_golden.R
hs_sm <- read.csv(HS_SCHOOL_MISSING)
hs_sm$ageyr <- NULL

case14("groups_fiml_covariates_ml", "sem", HS_COVARIATE,
       list(data = hs_sm, group = "school", missing = "ml"), HS_SCHOOL_MISSING,
       list(group = "school", missing = "fiml"),
       "HS by school, covariates x7, x8: rows missing them dropped in each group")
case14("groups_fiml_covariates_mlx", "sem", HS_COVARIATE,
       list(data = hs_sm, group = "school", missing = "ml.x"), HS_SCHOOL_MISSING,
       list(group = "school", missing = "fiml.x"),
       "HS by school, covariates kept and modelled (ml.x)")
case14("groups_fiml_covariates_metric", "sem", HS_COVARIATE,
       list(data = hs_sm, group = "school", missing = "ml", group.equal = "loadings"),
       HS_SCHOOL_MISSING, list(group = "school", missing = "fiml", group_equal = "loadings"),
       "metric invariance by school with covariates under FIML")
case14("groups_fiml_covariates_mlr", "sem", HS_COVARIATE,
       list(data = hs_sm, group = "school", missing = "ml", estimator = "MLR"),
       HS_SCHOOL_MISSING, list(group = "school", missing = "fiml", estimator = "MLR"),
       "MLR with FIML by school, covariates fixed")

write_golden(list(cases = CASES14), file.path("lavaan14", "groups_cases.json"))
