"""Print the KEYWORDS table of ``lasagne_params/signatures.py`` from Lasagne 0.1's source.

Reads every ``lasagne/layers/*.py`` with :mod:`ast` (so the cuDNN, cuda-convnet
and corr-MM layers are covered without a GPU), takes each layer class's
``__init__`` parameters (inherited when the class has none), and prints one
line per class: the positional names without a default, ``|``, the names with
one.  A ``**kwargs`` constructor forwards to ``Layer``/``MergeLayer``, whose
only other keyword is ``name``.  Also prints the public nonlinearities.

Run it with the Lasagne install to read, and paste the output over the table::

    python tools/make_signatures.py [path/to/site-packages/lasagne]
"""
import ast
import glob
import os
import sys

ABSTRACT = {"Layer", "MergeLayer", "DNNLayer", "MMLayer", "CCLayer"}


def lasagne_dir():
    if len(sys.argv) > 1:
        return sys.argv[1]
    import importlib.util
    return os.path.dirname(importlib.util.find_spec("lasagne").origin)


def classes(root):
    """{name: (base names, init args or None, has **kwargs)} for every class in layers/."""
    found = {}
    for path in sorted(glob.glob(os.path.join(root, "layers", "*.py"))):
        with open(path) as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            bases = [b.id if isinstance(b, ast.Name) else b.attr for b in node.bases]
            init = next((f for f in node.body if isinstance(f, ast.FunctionDef)
                         and f.name == "__init__"), None)
            if init is None:
                found[node.name] = (bases, None, False)
                continue
            names = [a.arg for a in init.args.args[1:]]
            required = names[:len(names) - len(init.args.defaults)]
            optional = names[len(required):]
            found[node.name] = (bases, (required, optional), init.args.kwarg is not None)
    return found


def signature(name, table):
    bases, args, kwargs = table[name]
    if args is None:
        return signature(bases[0], table)
    required, optional = list(args[0]), list(args[1])
    if kwargs and "name" not in required + optional:
        optional.append("name")
    return required, optional


def is_layer(name, table):
    while name in table:
        if name == "Layer":
            return True
        name = table[name][0][0] if table[name][0] else None
    return False


def main():
    root = lasagne_dir()
    table = classes(root)
    print("KEYWORDS = {")
    for name in sorted(table):
        if name in ABSTRACT or not is_layer(name, table):
            continue
        required, optional = signature(name, table)
        line = "    %r: %r," % (name, " ".join(required) + " | " + " ".join(optional))
        print(line.replace("'", '"'))
    print("}")
    with open(os.path.join(root, "nonlinearities.py")) as handle:
        tree = ast.parse(handle.read())
    names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
    names += [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets
              if isinstance(t, ast.Name)]
    print("NONLINEARITIES = (%s)" % ", ".join('"%s"' % n for n in sorted(names)))


if __name__ == "__main__":
    main()
