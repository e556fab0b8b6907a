"""The instructors' side of the kit: hidden checks, the grading engine and the tools that
build the student release. Students never receive this package."""
