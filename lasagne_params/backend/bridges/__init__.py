"""Bridges: what makes old Lasagne, Theano and GPU-era modules run here, and nothing else.

``compat.install_compat`` is the one entry (each bridge feature-detected,
idempotent, listed in the CompatReport); ``on_import`` installs it on a user
file's first ``import theano``; ``ops`` and ``openmp`` bridge below the
level of names; ``gpu_standins`` and ``standin_layers`` serve Lasagne's
GPU-only modules on a CPU; ``robust_mode`` compiles without the two Theano
optimizations that fail on Lasagne networks; ``master_only`` turns
master-only names met on Lasagne 0.1 into one line.  May import the core and
the descriptions, Theano, Lasagne and numpy; never the other backend folders.
"""
