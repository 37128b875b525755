"""User code: every Python file the tool runs that a user wrote, run one way.

A target's file (``FILE.py:NAME``, ``FILE.py``, a notebook), the builder it
names, a ``--kinds`` file and a script under ``lasagne-params run`` all run
inside :func:`running.running` (its folder on ``sys.path``, its ``argv``,
the working folder restored, the bridges on its first Theano import, Python
2 siblings translated) and fail through :func:`running.reported` (one error
class per failure, the same hints on every command).  ``sources`` reads
Python 2 and notebooks; ``hooks`` holds the import hooks; ``loading``
imports a file as a module (up to a name, ``--keep-going``); ``targets``
finds the networks a value holds; ``script`` runs a script as ``__main__``.

May import the core, the descriptions and the Theano side (``backend/``,
only inside functions: importing this folder imports no Theano); never the
facade.
"""
from .loading import import_file, load_kinds
from .script import execute_script, networks_built
from .sources import python2
from .stubs import stub_missing
from .targets import Target, load_network, load_networks, networks_of, pick, split_target

__all__ = ["import_file", "load_kinds", "execute_script", "networks_built", "python2",
           "stub_missing",
           "Target", "load_network", "load_networks", "networks_of", "pick", "split_target"]
