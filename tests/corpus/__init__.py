"""Wrong and right answers written the way students write them, graded by the kit's own
tests: every mutant must lose points on the checks of its function (or of the functions
that call it), every alternate must get full marks."""
