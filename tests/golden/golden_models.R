# The lavaan model syntax of every golden case, shared by the make_*_golden.R scripts.

HS_CFA <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9"

POLDEM_SEM <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8"

POLDEM_EQUAL <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + a*y2 + b*y3 + c*y4
dem65 =~ y5 + a*y6 + b*y7 + c*y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8"

HS_MEDIATION <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
textual ~ a*visual
speed ~ b*textual + c*visual
ind := a*b
total := c + a*b"

HS_STDLV_NA <- "
visual =~ NA*x1 + x2 + x3
textual =~ NA*x4 + x5 + x6
speed =~ NA*x7 + x8 + x9"

HS_FIXED_VAR <- "
visual =~ NA*x1 + x2 + x3
textual =~ NA*x4 + x5 + x6
speed =~ NA*x7 + x8 + x9
visual ~~ 1*visual
textual ~~ 1*textual
speed ~~ 1*speed"

HS_COV0 <- paste0(HS_CFA, "\nvisual ~~ 0*speed")

HS_COVARIATE <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
visual ~ x7
textual ~ x7 + x8"

POLDEM_COVARIATES <- "
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ x1 + x2
dem65 ~ dem60 + x1
y1 ~~ y5"

POLDEM_SINGLE <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1
dem60 ~ ind60"

POLDEM_PATH <- "
y5 ~ y1 + x1
y6 ~ y5 + x2"

POLDEM_PATH_MEDIATION <- "
y5 ~ a*x1
y1 ~ b*y5 + c*x1
ab := a*b
total := c + a*b"

HS_EQ_CONSTRAINT <- "
visual =~ x1 + l2*x2 + l3*x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
l2 == l3"

# The free estimate of l2 is 0.55, so this lower bound is active at the solution.
HS_INEQ_CONSTRAINT <- "
visual =~ x1 + l2*x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
l2 > 0.6"

HS_INTERCEPTS <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
x1 ~ 1
x4 ~ 1"

GROWTH <- "
i =~ 1*t1 + 1*t2 + 1*t3 + 1*t4
s =~ 0*t1 + 1*t2 + 2*t3 + 3*t4
t1 ~ 0*1
t2 ~ 0*1
t3 ~ 0*1
t4 ~ 0*1
i ~ 1
s ~ 1"

HS_SECOND_ORDER <- "
visual =~ x1 + x2 + x3
textual =~ x4 + x5 + x6
speed =~ x7 + x8 + x9
g =~ visual + textual + speed"

POLDEM_MIXED <- "
ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem60 ~ ind60
y5 ~ dem60 + x1
y6 ~ y5"
