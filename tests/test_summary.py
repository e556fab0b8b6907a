"""The readable summary of `python -m graders grade`: an assignment that could not load says
why once, not once per check; every other message is printed whole."""

from graders.engine.report import AssignmentResult, CheckResult, GradeReport

ENVIRONMENT = {"tensorflow": "2.x", "devices": ["CPU:0"], "skipped_devices": {}}
WHY = "could not load loss.py: SyntaxError: invalid syntax (loss.py, line 3)"


def _check(id: str, status: str, message: str) -> CheckResult:
    function = id.split(".")[0]
    return CheckResult(id, function, "hidden", "", 0.0, 1.0, status, message, {})


def test_a_load_error_is_printed_once():
    result = AssignmentResult(
        "05_loss",
        "loss.py",
        checks=[
            _check("predict.values", "error", f"{WHY} (on CPU:0; 2 of 2 runs failed)"),
            _check("predict.tf_function", "error", WHY),
        ],
        error=WHY,
    )
    text = GradeReport(ENVIRONMENT, [result]).summary()
    assert text.count(WHY) == 1
    assert "  ! " + WHY in text
    assert "(the error above) (on CPU:0; 2 of 2 runs failed)" in text
    assert text.count("(the error above)") == 2


def test_other_messages_stay_whole():
    failed = "predict: 3 of 12 elements differ (largest difference 0.5 at [0, 1])"
    loaded = AssignmentResult("05_loss", "loss.py", checks=[_check("predict.values", "failed", failed)])
    # a message that merely mentions an error of another assignment's load keeps its words
    other = AssignmentResult(
        "06_gradient_tape",
        "gradient_tape.py",
        checks=[_check("train.values", "error", "train raised ValueError: " + WHY)],
        error=WHY,
    )
    text = GradeReport(ENVIRONMENT, [loaded, other]).summary()
    assert failed in text
    assert "train raised ValueError: " + WHY in text
    assert "(the error above)" not in text
