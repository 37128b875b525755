"""A layered (Sugiyama-style) drawing of a directed acyclic graph, in pure Python.

The picture of a network without Graphviz: boxes of given sizes, edges that
all point downwards.  This module knows nothing of layers or text; it takes
box sizes and edges and returns where each box goes and the points each
edge passes through.  It imports the standard library only and must never
import anything else (``tests/test_purity.py``).

The steps are the classical ones (Sugiyama, Tagawa and Toda 1981; Gansner
et al. 1993, the paper behind Graphviz's ``dot``):

1. **Ranks**: the longest path from the graph's sources, then each node
   whose out-edges outnumber its in-edges (a second input, say) moved down
   to just above its first consumer.
2. **Dummy nodes**: an edge spanning several ranks passes through one
   zero-width node per rank between, so it gets its own slot in each rank
   and never runs through a box (up to ``DUMMY_LIMIT`` of them, shortest
   edges first: only a network with very many very long edges has more).
3. **Order within ranks** (crossing reduction): a depth-first order, then
   weighted-median sweeps down and up, each followed by swapping
   neighbours while that removes crossings; the order with the fewest
   crossings (counted exactly, ``O(E log V)`` per pair of ranks) is kept.
   At most ``SWEEPS`` sweeps, fewer when a sweep stops improving.
4. **Coordinates**: Brandes and Köpf's alignment ("Fast and Simple
   Horizontal Coordinate Assignment", 2001): four alignments of each node
   with a median neighbour, compacted, balanced; linear in the graph's size,
   long edges run straight.  A last pass (pool-adjacent-violators, also
   linear) moves nodes the least needed to keep every gap, so that boxes
   never overlap whatever the balancing did.
5. **Routes**: each edge leaves its source's bottom, runs straight down
   through its dummies' slots, and enters its target's top; the exits of a
   fork and the entries of a merge are spread along the box's side in the
   order of the boxes they lead to, so that arrows do not land on each other.
   Between ranks a route only crosses the empty gap, so edges never cross
   boxes.

Every step is linear or ``n log n`` in the number of nodes plus dummies,
and the sweeps are capped, so a 10,000-layer chain lays out in well under a
second (``benchmarks/draw_layout.py`` measures it).
"""
from dataclasses import dataclass
from math import ceil, floor

__all__ = ["Gaps", "Layout", "layered"]

#: The most median sweeps of the crossing reduction (Graphviz's ``mclimit`` default is 24).
SWEEPS = 24
#: Sweeps in a row that may fail to lower the crossings before the reduction stops.
PATIENCE = 4
#: Transposition passes per rank after each sweep.
TRANSPOSE_PASSES = 4
#: The most dummy nodes a layout makes (each costs some 40 microseconds).  Their number is
#: the sum of the edges' lengths in ranks, which a network whose every layer also feeds
#: the last makes quadratic; past the limit the longest edges get none and are drawn as
#: one curve straight across the ranks between (it may cross boxes there).
DUMMY_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Gaps:
    """Distances of a layout, in the unit of the box sizes (points in the pictures)."""

    node: float = 20.0       # between two boxes side by side
    edge: float = 10.0       # between an edge's slot and its neighbour in a rank
    rank: float = 34.0       # between the bottom of one rank and the top of the next
    port: float = 12.0       # between two arrows entering the same box


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each box and edge of a layered drawing goes.

    ``x[i]``, ``y[i]`` are box ``i``'s centre and top (y grows downwards);
    ``ranks[i]`` its rank (0 at the top).  ``routes[e]`` is the list of
    points edge ``e`` passes through, from its source's bottom to its
    target's top: draw a straight line between two points one above the
    other, an S-curve otherwise.  ``orders`` holds each rank's nodes left to
    right, dummy nodes (numbered from the number of boxes up) included, and
    ``crossings`` how many pairs of edges cross between neighbouring ranks.
    The drawing spans ``0..width`` and ``0..height``.
    """

    x: tuple
    y: tuple
    ranks: tuple
    routes: tuple
    orders: tuple
    crossings: int
    width: float
    height: float


def layered(sizes, edges, gaps=Gaps()):
    """The :class:`Layout` of boxes ``sizes`` ((width, height) each) joined by ``edges``.

    ``edges`` are (source, target) index pairs; a pair may repeat (each
    copy is its own edge).  Raises ValueError for a cycle or a self-loop.

    >>> out = layered([(40, 20), (40, 20), (60, 20)], [(0, 2), (1, 2)])
    >>> out.ranks, out.crossings, [round(v) for v in out.x]
    ((0, 0, 1), 0, [20, 80, 50])
    >>> out.routes[0][0], out.routes[0][-1]
    ((20.0, 20.0), (26.0, 54.0))
    """
    n = len(sizes)
    widths = [float(w) for w, _ in sizes]
    heights = [float(h) for _, h in sizes]
    for source, target in edges:
        if not (0 <= source < n and 0 <= target < n) or source == target:
            raise ValueError("edge %r: not between two different boxes" % ((source, target),))
    if not n:
        return Layout((), (), (), (), (), 0, 0.0, 0.0)
    rank = _ranks(n, edges)
    ranks_count = max(rank) + 1

    # Dummy nodes: node ids from n up; up/down list each node's neighbours one rank
    # above/below, with an edge's multiplicity.  The shortest edges get them first;
    # past DUMMY_LIMIT an edge is drawn straight across (see DUMMY_LIMIT).
    spans = [rank[target] - rank[source] - 1 for source, target in edges]
    budget, slotted = DUMMY_LIMIT, [False] * len(edges)
    for e in sorted(range(len(edges)), key=spans.__getitem__):
        if spans[e] > budget:
            break
        budget -= spans[e]
        slotted[e] = True
    up, down, chains = [[] for _ in range(n)], [[] for _ in range(n)], []
    for e, (source, target) in enumerate(edges):
        chain = [source]
        for r in range(rank[source] + 1, rank[target]) if slotted[e] else ():
            rank.append(r)
            widths.append(0.0)
            heights.append(0.0)
            up.append([])
            down.append([])
            chain.append(len(rank) - 1)
        chain.append(target)
        if slotted[e]:
            for a, b in zip(chain, chain[1:]):
                down[a].append(b)
                up[b].append(a)
        chains.append(chain)

    orders = _order(n, rank, ranks_count, up, down)
    crossed = sum(_crossings_between(orders[r], orders[r + 1], up)
                  for r in range(ranks_count - 1))
    x = _coordinates(n, orders, up, down, widths, gaps)

    # Ranks: bands as tall as their tallest box, the boxes centred in them.
    tops, top = [], 0.0
    for order in orders:
        tops.append(top)
        top += max(heights[v] for v in order) + gaps.rank
    height = top - gaps.rank if orders else 0.0
    band = [max(heights[v] for v in order) for order in orders]
    y = [tops[rank[v]] + (band[rank[v]] - heights[v]) / 2 for v in range(n)]

    left = min((x[v] - widths[v] / 2 for v in range(len(x))), default=0.0)
    x = [value - left for value in x]
    width = max((x[v] + widths[v] / 2 for v in range(len(x))), default=0.0)
    routes = _routes(n, chains, x, y, rank, tops, band, widths, heights, gaps)
    return Layout(tuple(x[:n]), tuple(y), tuple(rank[:n]), routes,
                  tuple(tuple(order) for order in orders), crossed, width, height)


# ---------------------------------------------------------------------------- ranks

def _ranks(n, edges):
    """Each node's rank: the longest path from a source, then each node with no more in-
    than out-edges moved down to just above its first consumer (in reverse topological
    order, so that a side input's chain moves down together)."""
    succ, pred = [[] for _ in range(n)], [[] for _ in range(n)]
    for source, target in edges:
        succ[source].append(target)
        pred[target].append(source)
    waiting = [len(p) for p in pred]
    topological = [v for v in range(n) if not waiting[v]]
    for v in topological:                 # grows while it is read (Kahn's algorithm)
        for w in succ[v]:
            waiting[w] -= 1
            if not waiting[w]:
                topological.append(w)
    if len(topological) < n:
        raise ValueError("the graph has a cycle")
    rank = [0] * n
    for v in topological:
        for w in succ[v]:
            rank[w] = max(rank[w], rank[v] + 1)
    for v in reversed(topological):
        if succ[v] and len(pred[v]) <= len(succ[v]):
            rank[v] = max(rank[v], min(rank[w] for w in succ[v]) - 1)
    return rank


# ---------------------------------------------------------------------------- order

def _order(n, rank, ranks_count, up, down):
    """Each rank's nodes left to right, crossings reduced."""
    # A depth-first order from the sources in their given order keeps each branch together.
    seen, first = [False] * len(rank), []
    for start in range(n):
        if up[start] or seen[start]:
            continue
        stack = [start]
        while stack:
            v = stack.pop()
            if seen[v]:
                continue
            seen[v] = True
            first.append(v)
            stack.extend(reversed(down[v]))
    orders = [[] for _ in range(ranks_count)]
    for v in first:
        orders[rank[v]].append(v)
    best, best_count = [list(o) for o in orders], _total_crossings(orders, up)
    if best_count == 0:
        return best
    stale = 0
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        span = range(1, ranks_count) if downward else range(ranks_count - 2, -1, -1)
        for r in span:
            fixed = orders[r - 1] if downward else orders[r + 1]
            _median_sort(orders[r], fixed, up if downward else down)
        _transpose(orders, up, down)
        count = _total_crossings(orders, up)
        if count < best_count:
            best, best_count, stale = [list(o) for o in orders], count, 0
            if count == 0:
                break
        else:
            stale += 1
            if stale >= PATIENCE:
                break
    return best


def _median_sort(order, fixed, neighbours):
    """Sort ``order`` in place by the weighted median position of each node's neighbours
    in ``fixed``; nodes without neighbours there keep their places."""
    position = {v: i for i, v in enumerate(fixed)}
    keyed, free = [], []
    for i, v in enumerate(order):
        places = sorted(position[w] for w in neighbours[v])
        if places:
            keyed.append((_median(places), i, v))
        else:
            free.append(i)
    keyed.sort()
    moved = iter(v for _, _, v in keyed)
    free = set(free)
    order[:] = [order[i] if i in free else next(moved) for i in range(len(order))]


def _median(places):
    """Gansner et al.'s weighted median of sorted positions."""
    m = len(places) // 2
    if len(places) % 2:
        return places[m]
    if len(places) == 2:
        return (places[0] + places[1]) / 2
    left, right = places[m - 1] - places[0], places[-1] - places[m]
    if left + right == 0:
        return (places[m - 1] + places[m]) / 2
    return (places[m - 1] * right + places[m] * left) / (left + right)


def _transpose(orders, up, down):
    """Swap neighbours in each rank while that lowers the crossings with both
    neighbouring ranks (a few passes at most)."""
    for r, order in enumerate(orders):
        if len(order) < 2:
            continue
        above = {v: i for i, v in enumerate(orders[r - 1])} if r else {}
        below = {v: i for i, v in enumerate(orders[r + 1])} if r + 1 < len(orders) else {}
        ups = {v: sorted(above[w] for w in up[v]) for v in order}
        downs = {v: sorted(below[w] for w in down[v]) for v in order}
        for _ in range(TRANSPOSE_PASSES):
            improved = False
            for i in range(len(order) - 1):
                a, b = order[i], order[i + 1]
                now = _pair_cross(ups[a], ups[b]) + _pair_cross(downs[a], downs[b])
                swapped = _pair_cross(ups[b], ups[a]) + _pair_cross(downs[b], downs[a])
                if swapped < now:
                    order[i], order[i + 1] = b, a
                    improved = True
            if not improved:
                break


def _pair_cross(left, right):
    """Crossings between the edges of a node at the left (neighbours at sorted positions
    ``left``) and of its right neighbour (``right``)."""
    count, j = 0, 0
    for p in left:                       # pairs (p, q) with q < p cross
        while j < len(right) and right[j] < p:
            j += 1
        count += j
    return count


def _total_crossings(orders, up):
    return sum(_crossings_between(orders[r], orders[r + 1], up) for r in range(len(orders) - 1))


def _crossings_between(upper, lower, up):
    """Crossings of the edges between two neighbouring ranks (Barth, Jünger and Mutzel's
    counting by inversions, ``O(E log V)``)."""
    if len(upper) < 2 and len(lower) < 2:
        return 0
    position = {v: i for i, v in enumerate(upper)}
    pairs = sorted((position[u], j) for j, v in enumerate(lower) for u in up[v])
    return _count_inversions([j for _, j in pairs], len(lower))


def _count_inversions(values, size):
    """Pairs i < k with values[i] > values[k], values in 0..size-1 (a Fenwick tree)."""
    tree, count = [0] * (size + 1), 0
    for seen, value in enumerate(values):
        i, at_most = value + 1, 0
        while i > 0:
            at_most += tree[i]
            i -= i & -i
        count += seen - at_most
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return count


# ---------------------------------------------------------------------------- coordinates

def _coordinates(n, orders, up, down, widths, gaps):
    """Each node's x (its centre): Brandes-Köpf, then every gap made good."""
    def separation(a, b):
        gap = gaps.node if a < n and b < n else gaps.edge
        return (widths[a] + widths[b]) / 2 + gap

    inner = _inner_conflicts(n, orders, up)
    results = []
    for downward in (True, False):
        layers = orders if downward else orders[::-1]
        neighbours = up if downward else down
        for leftward in (True, False):
            lined = [list(o) if leftward else o[::-1] for o in layers]
            root, align = _vertical_alignment(n, lined, neighbours, down if downward else up,
                                              inner)
            xs = _compaction(lined, root, align, separation)
            results.append(xs if leftward else [-v if v is not None else None for v in xs])
    total = len(widths)
    # Align the four to the narrowest: the leftward ones by their left edge, the
    # rightward ones by their right edge; then take each node's middle two.
    spans = [(min(xs[v] - widths[v] / 2 for v in range(total)),
              max(xs[v] + widths[v] / 2 for v in range(total))) for xs in results]
    narrowest = min(range(4), key=lambda k: spans[k][1] - spans[k][0])
    shifted = []
    for k, xs in enumerate(results):
        shift = (spans[narrowest][0] - spans[k][0] if k % 2 == 0
                 else spans[narrowest][1] - spans[k][1])
        shifted.append([v + shift for v in xs])
    x = []
    for v in range(total):
        four = sorted(xs[v] for xs in shifted)
        x.append((four[1] + four[2]) / 2)
    for order in orders:
        _keep_gaps(order, x, separation)
    return x


def _inner_conflicts(n, orders, up):
    """Edges (as (upper, lower) pairs) that cross an inner segment (dummy to dummy):
    Brandes-Köpf's type 1 conflicts, where the long edge wins."""
    conflicts = set()
    for r in range(1, len(orders)):
        position = {v: i for i, v in enumerate(orders[r - 1])}
        layer = orders[r]
        k0, scan = 0, 0
        for i, v in enumerate(layer):
            inner = next((u for u in up[v] if u >= n), None) if v >= n else None
            if inner is None and i != len(layer) - 1:
                continue
            k1 = position[inner] if inner is not None else len(orders[r - 1])
            for w in layer[scan:i + 1]:
                for u in up[w]:
                    if (position[u] < k0 or position[u] > k1) and not (u >= n and w >= n):
                        conflicts.add((u, w))
            scan, k0 = i + 1, k1
    return conflicts


def _vertical_alignment(n, layers, neighbours, back, conflicts):
    """Brandes-Köpf's blocks: each node aligned with a median neighbour in the previous
    layer when that keeps the order and crosses no long edge.

    One preference is added: a path of boxes with one skip edge beside it (a box
    whose two neighbours on one side are a box and a long edge's slot) runs
    straight, the skip edge bending round it, in all four alignments (ResNet's
    blocks, U-Net's levels).  ``back`` holds each node's neighbours the other way.
    """
    def beside_a_path(box, slot):
        """Is ``box`` a box whose two neighbours towards ``slot`` are it and a box?"""
        pair = back[box]
        return box < n and slot >= n and len(pair) == 2 and min(pair) < n

    root, align = {}, {}
    for layer in layers:
        for v in layer:
            root[v] = align[v] = v
    previous_position = {}
    for layer in layers:
        last = -1
        for v in layer:
            ws = sorted(neighbours[v], key=previous_position.__getitem__)
            if not ws:
                continue
            middle = (len(ws) - 1) / 2
            medians = [ws[i] for i in range(floor(middle), ceil(middle) + 1)]
            if v < n and len(ws) == 2 and medians[0] >= n > medians[1]:
                medians.reverse()           # the path first, then the skip edge
            for w in medians:
                if (align[v] == v and last < previous_position[w]
                        and (w, v) not in conflicts and (v, w) not in conflicts
                        and not beside_a_path(w, v)):
                    align[w] = v
                    root[v] = root[w]
                    align[v] = root[v]
                    last = previous_position[w]
        previous_position = {v: i for i, v in enumerate(layer)}
    return root, align


def _compaction(layers, root, align, separation):
    """x of every node: each block as far left as its left neighbours allow, then pulled
    right towards its right neighbours (a longest path over the graph of blocks)."""
    after = {}                              # block root -> {right neighbour's root: gap}
    before = {}
    for layer in layers:
        for a, b in zip(layer, layer[1:]):
            ra, rb = root[a], root[b]
            gap = separation(a, b)
            if after.setdefault(ra, {}).get(rb, -1.0) < gap:
                after[ra][rb] = gap
                before.setdefault(rb, {})[ra] = gap
    roots = list(dict.fromkeys(root[v] for layer in layers for v in layer))
    waiting = {r: len(before.get(r, ())) for r in roots}
    sequence = [r for r in roots if not waiting[r]]
    for r in sequence:
        for s in after.get(r, ()):
            waiting[s] -= 1
            if not waiting[s]:
                sequence.append(s)
    xs = {}
    for r in sequence:
        xs[r] = max((xs[p] + gap for p, gap in before.get(r, {}).items()), default=0.0)
    for r in reversed(sequence):
        right = after.get(r)
        if right:
            limit = min(xs[s] - gap for s, gap in right.items())
            if limit > xs[r] and before.get(r):
                xs[r] = limit
    size = max(max(layer) for layer in layers if layer) + 1 if layers else 0
    x = [None] * size
    for layer in layers:
        for v in layer:
            x[v] = xs[root[v]]
    return x


def _keep_gaps(order, x, separation):
    """Move the nodes of one rank the least (in squares) to keep every gap, in order
    (pool adjacent violators on x minus the gaps before each node)."""
    if len(order) < 2:
        return
    offsets = [0.0]
    for a, b in zip(order, order[1:]):
        offsets.append(offsets[-1] + separation(a, b))
    blocks = []                              # [sum, count, first index]
    for i, v in enumerate(order):
        blocks.append([x[v] - offsets[i], 1, i])
        while len(blocks) > 1 and (blocks[-2][0] / blocks[-2][1]
                                   > blocks[-1][0] / blocks[-1][1]):
            total, count, _ = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    for total, count, start in blocks:
        level = total / count
        for i in range(start, start + count):
            x[order[i]] = level + offsets[i]


# ---------------------------------------------------------------------------- routes

def _routes(n, chains, x, y, rank, tops, band, widths, heights, gaps):
    """Each edge's points: out of its source's bottom, down its dummies' slots, into its
    target's top.  A fork's exits and a merge's entries are spread along the box's side
    in the order of the neighbours they lead to (see :func:`_ports`)."""
    exits = _ports([(chain[0], x[chain[1]], e) for e, chain in enumerate(chains)],
                   x, widths, gaps.port)
    entries = _ports([(chain[-1], x[chain[-2]], e) for e, chain in enumerate(chains)],
                     x, widths, gaps.port)
    routes = []
    for e, chain in enumerate(chains):
        source, target = chain[0], chain[-1]
        sx, bottom = exits[e], y[source] + heights[source]
        points = [(sx, bottom)]
        band_bottom = tops[rank[source]] + band[rank[source]]
        if band_bottom > bottom:
            points.append((sx, band_bottom))
        for d in chain[1:-1]:
            points.append((x[d], tops[rank[d]]))
            points.append((x[d], tops[rank[d]] + band[rank[d]]))
        tx = entries[e]
        if y[target] > tops[rank[target]]:
            points.append((tx, tops[rank[target]]))
        points.append((tx, y[target]))
        routes.append(tuple(points))
    return tuple(routes)


def _ports(ends, x, widths, gap):
    """{edge: x where it meets its box}, for ``ends`` (box, x of the neighbour the edge
    comes from or goes to, edge): one edge meets its box in the middle; several keep
    their neighbours' order and relative distances, squeezed about the box's centre to
    fit its side, then at least ``gap`` apart."""
    by_box = {}
    for box, towards, e in ends:
        by_box.setdefault(box, []).append((towards, e))
    ports = {}
    for box, ends_here in by_box.items():
        ends_here.sort()
        centre, half = x[box], max(widths[box] / 2 - gap / 2, 0.0)
        low, high = centre - half, centre + half
        farthest = max(abs(towards - centre) for towards, _ in ends_here)
        if len(ends_here) == 1:
            places = [centre]
        elif (len(ends_here) - 1) * gap > high - low:
            step = (high - low) / (len(ends_here) - 1)
            places = [low + i * step for i in range(len(ends_here))]
        else:
            squeeze = min(1.0, half / farthest) if farthest else 1.0
            places = _spread([centre + (towards - centre) * squeeze
                              for towards, _ in ends_here], gap, low, high)
        for place, (_, e) in zip(places, ends_here):
            ports[e] = place
    return ports


def _spread(wanted, gap, low, high):
    """Sorted ``wanted`` moved the least to be ``gap`` apart within low..high."""
    places = list(wanted)
    for i in range(1, len(places)):
        places[i] = max(places[i], places[i - 1] + gap)
    if places[-1] > high:
        places[-1] = high
        for i in range(len(places) - 2, -1, -1):
            places[i] = min(places[i], places[i + 1] - gap)
    return [max(p, low) for p in places]
