"""pytest-friendly assertions: a network still has the shapes and counts it had.

    from lasagne_params.testing import assert_params, assert_snapshot

    def test_my_network_did_not_change():
        assert_snapshot(build_my_network(), "tests/my_net.params.json")

    def test_question_total():
        assert_params(question_net, 217706)

Write or refresh a snapshot with ``lasagne-params snapshot NET -o FILE``,
``assert_snapshot(..., update=True)``, or by running the tests with
``LASAGNE_PARAMS_UPDATE_SNAPSHOTS=1``.  The figures are derived (no Lasagne
needed for specs and NeuralNets given by class names).
"""
import os

from .api import derive
from .render import render
from .render.compare import render_changes
from .describe.snapshot import diff_snapshot, read_snapshot, write_snapshot

__all__ = ["assert_snapshot", "assert_params", "UPDATE_ENV"]

UPDATE_ENV = "LASAGNE_PARAMS_UPDATE_SNAPSHOTS"


def assert_snapshot(network, path, update=None):
    """Raise AssertionError listing every layer that differs from the snapshot at ``path``.

    Parameters
    ----------
    network : anything :func:`lasagne_params.derive` accepts
    path : str
        The snapshot file (JSON, as ``lasagne-params snapshot`` writes it).
    update : bool, optional
        Write the snapshot instead of checking it; by default, when the
        environment variable ``LASAGNE_PARAMS_UPDATE_SNAPSHOTS`` is ``1``.

    Returns
    -------
    Report
        The derived figures.
    """
    report = derive(network)
    if update is None:
        update = os.environ.get(UPDATE_ENV) == "1"
    if update:
        write_snapshot(report, path)
        return report
    if not os.path.exists(path):
        raise AssertionError("no snapshot at %s; write it with update=True, %s=1 or "
                             "`lasagne-params snapshot NET -o %s`" % (path, UPDATE_ENV, path))
    changes = diff_snapshot(read_snapshot(path), report)
    if changes:
        raise AssertionError(render_changes(changes, path))
    return report


def assert_params(network, total, trainable=None):
    """Raise AssertionError (with the answer's table) unless the network has ``total`` parameters.

    ``trainable``, when given, is checked against the trainable count too.
    """
    report = derive(network)
    wrong = report.total_params != total or (
        trainable is not None and report.trainable_params != trainable)
    if wrong:
        raise AssertionError("expected %d parameters%s, derived %d (%d trainable):\n%s" % (
            total, "" if trainable is None else " (%d trainable)" % trainable,
            report.total_params, report.trainable_params, render(report)))
    return report
