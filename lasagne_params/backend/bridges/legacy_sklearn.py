"""The contents of scikit-learn's old modules that ``legacy_modules`` serves where they are gone.

``sklearn.cross_validation`` and ``sklearn.grid_search`` (removed in
scikit-learn 0.20) had other signatures than ``sklearn.model_selection``: a
cross-validation iterator was made from the data's size or labels
(``KFold(n, n_folds=3)``, ``StratifiedKFold(y, n_folds=3)``) and iterated
over ``(train, test)`` index arrays, with ``len()`` its number of folds; the
functions and searches took ``cv=None`` as 3 folds (stratified for a
classifier) and ``fit_params=``.  These adapters take the old signatures and
iterate as the old classes did:

* ``KFold`` and ``StratifiedKFold`` are this module's own code following the
  old algorithms (scikit-learn 0.17-0.19): contiguous folds, the first
  ``n % n_folds`` one longer; a stratified fold takes, from each class in
  turn, that class's k-th contiguous share (shuffled at construction when
  ``shuffle=True``).  ``model_selection.StratifiedKFold`` (0.22 on)
  allocates differently, so its folds may differ; these do not.
* The other iterators (``ShuffleSplit``, ``StratifiedShuffleSplit``,
  ``LeaveOneOut``, ``LeavePOut``, ``LabelKFold``, ``LeaveOneLabelOut``,
  ``LeavePLabelOut``, ``LabelShuffleSplit``, ``PredefinedSplit``) take the old
  signature and delegate to their ``model_selection`` counterpart: the same
  splits as the old ones from 0.18 on (``StratifiedShuffleSplit`` and
  ``LabelShuffleSplit`` of 0.17 allocated differently).
* ``cross_val_score``, ``cross_val_predict`` and ``check_cv`` turn
  ``cv=None`` or an int into the old folds (above) and ``fit_params`` into
  today's keyword; ``train_test_split`` is today's (the same signature).
* ``GridSearchCV`` and ``RandomizedSearchCV`` are ``model_selection``'s with
  the old signature (``fit_params``, ``iid``, ``n_jobs=1``,
  ``error_score='raise'``, ``cv=None`` as the old 3 folds) and the old
  ``grid_scores_``.  Not the same: ``iid`` is accepted and ignored, so a
  parameter's score is the plain mean over folds (the old default
  ``iid=True`` weighted the folds by their test size: the same for equal folds).

Only ``legacy_modules`` imports this module, when it serves one of these.
"""
import inspect
import warnings
from collections import namedtuple

import numpy as np
from sklearn import discriminant_analysis, model_selection
from sklearn.base import is_classifier
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import type_of_target

__all__ = ["KFold", "StratifiedKFold", "check_cv", "cross_val_score", "GridSearchCV",
           "RandomizedSearchCV"]


def _give(module, names):
    """Put each of ``names`` (this module's) on ``module``; return the names."""
    for name in names:
        setattr(module, name, globals()[name])
    return list(names)


class _OldIterator:
    """An old cross-validation iterator: made from the data, iterable, sized."""

    def __iter__(self):
        for train, test in self._splits():
            yield train, test

    def __len__(self):
        return sum(1 for _ in self._splits())

    def __repr__(self):
        fields = ", ".join("%s=%r" % item for item in vars(self).items()
                           if not item[0].startswith("_") and item[0] not in ("y", "labels"))
        return "%s.%s(%s)" % ("sklearn.cross_validation", type(self).__name__, fields)


def _partition(n, test_folds, n_folds):
    """(train, test) index arrays, sorted, of each fold of ``test_folds`` (a fold per sample)."""
    indices = np.arange(n)
    for fold in range(n_folds):
        in_test = test_folds == fold
        yield indices[~in_test], indices[in_test]


def _fold_sizes(n, n_folds):
    """The old fold sizes: ``n // n_folds`` each, the first ``n % n_folds`` one longer."""
    sizes = np.full(n_folds, n // n_folds, dtype=int)
    sizes[:n % n_folds] += 1
    return sizes


def _check_folds(n_folds, n):
    if n_folds < 2:
        raise ValueError("k-fold cross validation requires at least one train / test split "
                         "by setting n_folds=2 or more, got n_folds=%d." % n_folds)
    if n_folds > n:
        raise ValueError("Cannot have number of folds n_folds=%d greater than the number of "
                         "samples: %d." % (n_folds, n))


class KFold(_OldIterator):
    """The old ``KFold(n, n_folds=3, shuffle=False, random_state=None)``: ``n_folds``
    contiguous folds of ``range(n)`` (shuffled once, when made, with ``shuffle=True``)."""

    def __init__(self, n, n_folds=3, shuffle=False, random_state=None):
        _check_folds(n_folds, n)
        self.n, self.n_folds, self.shuffle, self.random_state = n, n_folds, shuffle, random_state
        order = np.arange(n)
        if shuffle:
            check_random_state(random_state).shuffle(order)
        self._test_folds = np.empty(n, dtype=int)
        start = 0
        for fold, size in enumerate(_fold_sizes(n, n_folds)):
            self._test_folds[order[start:start + size]] = fold
            start += size

    def _splits(self):
        return _partition(self.n, self._test_folds, self.n_folds)


class StratifiedKFold(_OldIterator):
    """The old ``StratifiedKFold(y, n_folds=3, shuffle=False, random_state=None)``.

    The samples of each class, in the order of ``y`` (shuffled once, when made,
    with ``shuffle=True``), go to the folds as the old ``KFold`` of that class's
    count would put them (a class smaller than ``n_folds`` fills the first folds,
    one sample each, with a warning, as the old class warned).
    """

    def __init__(self, y, n_folds=3, shuffle=False, random_state=None):
        y = np.asarray(y)
        n = y.shape[0]
        _check_folds(n_folds, n)
        self.y, self.n, self.n_folds = y, n, n_folds
        self.shuffle, self.random_state = shuffle, random_state
        classes, y_index = np.unique(y, return_inverse=True)
        counts = np.bincount(y_index)
        if np.all(counts < n_folds):
            raise ValueError("All the n_labels for individual classes are less than %d folds."
                             % n_folds)
        if np.min(counts) < n_folds:
            warnings.warn("The least populated class in y has only %d members, which is too "
                          "few. The minimum number of labels for any class cannot be less "
                          "than n_folds=%d." % (np.min(counts), n_folds), UserWarning)
        rng = check_random_state(random_state)
        self._test_folds = np.empty(n, dtype=int)
        for label in range(len(classes)):
            members = np.flatnonzero(y_index == label)
            slots = np.arange(max(counts[label], n_folds))    # the old per-class KFold
            if shuffle:
                rng.shuffle(slots)
            fold_of_slot = np.empty(len(slots), dtype=int)
            start = 0
            for fold, size in enumerate(_fold_sizes(len(slots), n_folds)):
                fold_of_slot[slots[start:start + size]] = fold
                start += size
            self._test_folds[members] = fold_of_slot[:len(members)]

    def _splits(self):
        return _partition(self.n, self._test_folds, self.n_folds)


class _Delegating(_OldIterator):
    """An old iterator whose splits are those of a ``model_selection`` splitter."""

    def _splits(self):
        return self._modern.split(*self._data)


class ShuffleSplit(_Delegating):
    """The old ``ShuffleSplit(n, n_iter=10, test_size=0.1, train_size=None,
    random_state=None)``."""

    def __init__(self, n, n_iter=10, test_size=0.1, train_size=None, random_state=None):
        self.n, self.n_iter, self.test_size = n, n_iter, test_size
        self.train_size, self.random_state = train_size, random_state
        self._modern = model_selection.ShuffleSplit(n_iter, test_size=test_size,
                                                    train_size=train_size,
                                                    random_state=random_state)
        self._data = (np.zeros(n), None, None)


class StratifiedShuffleSplit(_Delegating):
    """The old ``StratifiedShuffleSplit(y, n_iter=10, test_size=0.1, train_size=None,
    random_state=None)``."""

    def __init__(self, y, n_iter=10, test_size=0.1, train_size=None, random_state=None):
        self.y, self.n_iter, self.test_size = np.asarray(y), n_iter, test_size
        self.train_size, self.random_state = train_size, random_state
        self._modern = model_selection.StratifiedShuffleSplit(
            n_iter, test_size=test_size, train_size=train_size, random_state=random_state)
        self._data = (np.zeros(len(self.y)), self.y, None)


class LeaveOneOut(_Delegating):
    """The old ``LeaveOneOut(n)``."""

    def __init__(self, n):
        self.n = n
        self._modern, self._data = model_selection.LeaveOneOut(), (np.zeros(n), None, None)


class LeavePOut(_Delegating):
    """The old ``LeavePOut(n, p)``."""

    def __init__(self, n, p):
        self.n, self.p = n, p
        self._modern, self._data = model_selection.LeavePOut(p), (np.zeros(n), None, None)


class LabelKFold(_Delegating):
    """The old ``LabelKFold(labels, n_folds=3)``: ``model_selection.GroupKFold``."""

    def __init__(self, labels, n_folds=3):
        self.labels, self.n_folds = np.asarray(labels), n_folds
        self._modern = model_selection.GroupKFold(n_folds)
        self._data = (np.zeros(len(self.labels)), None, self.labels)


class LeaveOneLabelOut(_Delegating):
    """The old ``LeaveOneLabelOut(labels)``: ``model_selection.LeaveOneGroupOut``."""

    def __init__(self, labels):
        self.labels = np.asarray(labels)
        self._modern = model_selection.LeaveOneGroupOut()
        self._data = (np.zeros(len(self.labels)), None, self.labels)


class LeavePLabelOut(_Delegating):
    """The old ``LeavePLabelOut(labels, p)``: ``model_selection.LeavePGroupsOut``."""

    def __init__(self, labels, p):
        self.labels, self.p = np.asarray(labels), p
        self._modern = model_selection.LeavePGroupsOut(p)
        self._data = (np.zeros(len(self.labels)), None, self.labels)


class LabelShuffleSplit(_Delegating):
    """The old ``LabelShuffleSplit(labels, n_iter=5, test_size=0.2, train_size=None,
    random_state=None)``: ``model_selection.GroupShuffleSplit``."""

    def __init__(self, labels, n_iter=5, test_size=0.2, train_size=None, random_state=None):
        self.labels, self.n_iter, self.test_size = np.asarray(labels), n_iter, test_size
        self.train_size, self.random_state = train_size, random_state
        self._modern = model_selection.GroupShuffleSplit(
            n_iter, test_size=test_size, train_size=train_size, random_state=random_state)
        self._data = (np.zeros(len(self.labels)), None, self.labels)


class PredefinedSplit(_Delegating):
    """The old ``PredefinedSplit(test_fold)``."""

    def __init__(self, test_fold):
        self.test_fold = np.asarray(test_fold)
        self._modern = model_selection.PredefinedSplit(self.test_fold)
        self._data = (None, None, None)


def check_cv(cv, X=None, y=None, classifier=False):
    """The old ``check_cv``: ``None`` is 3 folds, an int that many: ``StratifiedKFold(y, cv)``
    for a classifier with binary or multiclass ``y``, else ``KFold(len(X), cv)``; any other
    ``cv`` (an iterator, old or new) is returned as it is."""
    if cv is None:
        cv = 3
    if not isinstance(cv, (int, np.integer)):
        return cv
    if classifier and y is not None and type_of_target(y) in ("binary", "multiclass"):
        return StratifiedKFold(y, cv)
    return KFold(len(X) if not hasattr(X, "shape") else X.shape[0], cv)


def _splits(cv, X, y, estimator):
    """Today's ``cv=`` for the old one: the old folds as a list of (train, test)."""
    cv = check_cv(cv, X, y, classifier=is_classifier(estimator))
    return list(cv) if isinstance(cv, _OldIterator) else cv


def _with_fit_params(function, fit_params):
    """The keyword by which ``function`` (a model_selection one) takes fit parameters."""
    if not fit_params:
        return {}
    accepted = inspect.signature(function).parameters
    return {"params" if "params" in accepted else "fit_params": fit_params}


def cross_val_score(estimator, X, y=None, scoring=None, cv=None, n_jobs=1, verbose=0,
                    fit_params=None, pre_dispatch="2*n_jobs"):
    """The old ``cross_val_score``: ``cv=None`` is the old 3 folds."""
    return model_selection.cross_val_score(
        estimator, X, y, scoring=scoring, cv=_splits(cv, X, y, estimator), n_jobs=n_jobs,
        verbose=verbose, pre_dispatch=pre_dispatch,
        **_with_fit_params(model_selection.cross_val_score, fit_params))


def cross_val_predict(estimator, X, y=None, cv=None, n_jobs=1, verbose=0, fit_params=None,
                      pre_dispatch="2*n_jobs"):
    """The old ``cross_val_predict``: ``cv=None`` is the old 3 folds."""
    return model_selection.cross_val_predict(
        estimator, X, y, cv=_splits(cv, X, y, estimator), n_jobs=n_jobs, verbose=verbose,
        pre_dispatch=pre_dispatch,
        **_with_fit_params(model_selection.cross_val_predict, fit_params))


_CROSS_VALIDATION = ("KFold", "StratifiedKFold", "ShuffleSplit", "StratifiedShuffleSplit",
                     "LeaveOneOut", "LeavePOut", "LabelKFold", "LeaveOneLabelOut",
                     "LeavePLabelOut", "LabelShuffleSplit", "PredefinedSplit", "check_cv",
                     "cross_val_score", "cross_val_predict")


def cross_validation(module):
    """``sklearn.cross_validation``: the adapters, and today's ``train_test_split``."""
    module.train_test_split = model_selection.train_test_split
    return _give(module, _CROSS_VALIDATION) + ["train_test_split"]


# ----------------------------------------------------------------------- grid_search

#: An item of the old ``grid_scores_``.
CVScoreTuple = namedtuple("CVScoreTuple",
                          ("parameters", "mean_validation_score", "cv_validation_scores"))


class _OldSearch:
    """What the old searches add to today's: ``fit_params`` and ``cv`` as the old ones took
    them, and ``grid_scores_``."""

    def fit(self, X, y=None, **fit_params):
        cv = self.cv
        self.cv = _splits(cv, X, y, self.estimator)      # only while fitting
        try:
            return super().fit(X, y, **{**(self.fit_params or {}), **fit_params})
        finally:
            self.cv = cv

    @property
    def grid_scores_(self):
        results = self.cv_results_
        folds = sorted(key for key in results if key.startswith("split")
                       and key.endswith("_test_score"))
        return [CVScoreTuple(params, results["mean_test_score"][i],
                             np.array([results[key][i] for key in folds]))
                for i, params in enumerate(results["params"])]


class GridSearchCV(_OldSearch, model_selection.GridSearchCV):
    """The old ``sklearn.grid_search.GridSearchCV`` (``iid`` accepted, not used)."""

    def __init__(self, estimator, param_grid, scoring=None, fit_params=None, n_jobs=1,
                 iid=True, refit=True, cv=None, verbose=0, pre_dispatch="2*n_jobs",
                 error_score="raise"):
        super().__init__(estimator, param_grid, scoring=scoring, n_jobs=n_jobs, refit=refit,
                         cv=cv, verbose=verbose, pre_dispatch=pre_dispatch,
                         error_score=error_score)
        self.fit_params, self.iid = fit_params, iid


class RandomizedSearchCV(_OldSearch, model_selection.RandomizedSearchCV):
    """The old ``sklearn.grid_search.RandomizedSearchCV`` (``iid`` accepted, not used)."""

    def __init__(self, estimator, param_distributions, n_iter=10, scoring=None,
                 fit_params=None, n_jobs=1, iid=True, refit=True, cv=None, verbose=0,
                 pre_dispatch="2*n_jobs", random_state=None, error_score="raise"):
        super().__init__(estimator, param_distributions, n_iter=n_iter, scoring=scoring,
                         n_jobs=n_jobs, refit=refit, cv=cv, verbose=verbose,
                         pre_dispatch=pre_dispatch, random_state=random_state,
                         error_score=error_score)
        self.fit_params, self.iid = fit_params, iid


def grid_search(module):
    """``sklearn.grid_search``: the two searches, and today's ``ParameterGrid``/``Sampler``."""
    module.ParameterGrid = model_selection.ParameterGrid
    module.ParameterSampler = model_selection.ParameterSampler
    return _give(module, ("GridSearchCV", "RandomizedSearchCV")) + ["ParameterGrid",
                                                                    "ParameterSampler"]


# ------------------------------------------------------------------------ lda, qda

def lda(module):
    """``sklearn.lda``: ``LDA`` is today's ``LinearDiscriminantAnalysis``."""
    module.LDA = discriminant_analysis.LinearDiscriminantAnalysis
    return ["LDA"]


def qda(module):
    """``sklearn.qda``: ``QDA`` is today's ``QuadraticDiscriminantAnalysis``."""
    module.QDA = discriminant_analysis.QuadraticDiscriminantAnalysis
    return ["QDA"]
