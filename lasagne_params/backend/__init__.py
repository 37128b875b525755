"""The Theano side: the only part of the package that imports Theano, Lasagne or numpy.

Four folders, each importing only those before it (``tests/test_purity.py``
checks every import):

* ``bridges/`` — what makes old Lasagne, Theano and GPU-era modules run on
  Theano-PyMC 1.1.2 and Python 3.11: ``install_compat``, the op bridges,
  the GPU stand-ins, the robust compile mode, the word on master-only names;
* ``networks/`` — reading built Lasagne networks (hyper-parameters in,
  Lasagne's own figures out), building them from descriptions, running
  them, recording which networks a script builds;
* ``training/`` — the Trainer (nolearn's loop), its compile mode, and the
  MNIST data;
* ``nolearn/`` — nolearn 0.6's ``nolearn.lasagne`` served without nolearn.

Besides these, a folder may import the pure core, the descriptions and the
renderers, never the facade.
"""
