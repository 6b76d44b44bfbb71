"""Docker cannot run on the CI machines, so check the Dockerfile's essentials by reading it."""

from django.conf import settings


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (settings.BASE_DIR / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def test_image_builds_on_slim_python_313():
    assert dockerfile_instructions()[0] == ("FROM", "python:3.13-slim")


def test_locked_dependencies_install_in_a_layer_before_the_code_is_copied():
    instructions = dockerfile_instructions()
    install = next(i for i, (op, arg) in enumerate(instructions) if "--require-hashes" in arg)
    copy_code = instructions.index(("COPY", ". ."))

    assert instructions[install - 1] == ("COPY", "requirements/base.txt requirements/base.txt")
    assert install < copy_code


def test_static_files_are_collected_at_build_time():
    assert any("collectstatic" in arg for op, arg in dockerfile_instructions() if op == "RUN")


def test_the_server_runs_as_a_non_root_user_under_gunicorn():
    instructions = dockerfile_instructions()
    users = [arg for op, arg in instructions if op == "USER"]

    assert users and users[-1] not in {"root", "0"}
    assert instructions[-1][0] == "CMD"
    assert "gunicorn" in instructions[-1][1]
