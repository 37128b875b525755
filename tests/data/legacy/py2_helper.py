"""The Python 2 sibling py2_builder.py imports."""
WIDTH = 5
print "helper imported"
