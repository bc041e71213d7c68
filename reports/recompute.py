"""The recompute job: snapshot tables from SQL aggregates."""


def nightly():
    pass


def execute_run(run_id):
    pass


def recompute_demo(stdout=None):
    pass
