"""nolearn 0.6's ``nolearn._compat``: the Python 2/3 names nolearn's code and tests import.

Served as ``nolearn._compat`` (:mod:`lasagne_params.backend.bridges.nolearn_modules`);
on Python 3 each name is the standard library's.  Imports nothing heavy.
"""
import builtins
import pickle
from configparser import ConfigParser
from io import StringIO

__all__ = ["PY2", "ConfigParser", "StringIO", "pickle", "builtins", "basestring",
           "chain_exception"]

PY2 = False
basestring = str


def chain_exception(exc1, exc2):
    """Raise ``exc1`` with ``exc2`` as its cause (``raise exc1 from exc2``)."""
    raise exc1 from exc2
