"""Heard's privacy engine: which group scores one viewer may see.

Every score, count and comment list that Heard shows, on a page, through the API or in an
export, is decided here. The caller puts all the candidate groups of one viewer into one
`GroupSet` and calls `decide` once, so that no shown number can be subtracted from another to
reveal fewer than `threshold` people. Plain Python, no Django: see docs/decisions/0006.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

FLOOR = 3
DEFAULT_MIN_GROUP_SIZE = 5
SCOPE = "*"

RULE_EMPTY = "empty"
RULE_SMALL = "small"
RULE_COMPLEMENT = "complement"
RULE_DIFFERENCE = "difference"
RULE_SIBLING = "sibling"

REASONS = {
    RULE_EMPTY: "No responses yet.",
    RULE_SMALL: "Hidden: fewer than {threshold} responses.",
    RULE_COMPLEMENT: (
        "Hidden: the rest of your view would have fewer than {threshold} responses, "
        "so this group could be worked out by subtraction."
    ),
    RULE_DIFFERENCE: (
        "Hidden: a larger group shown here differs from it by fewer than {threshold} "
        "responses, so those responses could be worked out by subtraction."
    ),
    RULE_SIBLING: (
        "Hidden together with a smaller group, so that the smaller one cannot be worked out "
        "by subtraction."
    ),
}


@dataclass(frozen=True)
class PrivacyPolicy:
    """An organisation's privacy settings. `min_group_size` is k: no score of fewer people."""

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE

    def __post_init__(self) -> None:
        if isinstance(self.min_group_size, bool) or not isinstance(self.min_group_size, int):
            raise TypeError("min_group_size must be an integer")
        if self.min_group_size < FLOOR:
            raise ValueError(f"min_group_size must be at least {FLOOR}")

    @property
    def comment_threshold(self) -> int:
        """Comments are easier to attribute than scores, so they need a larger group."""
        return max(10, 2 * self.min_group_size)


@dataclass(frozen=True)
class Decision:
    """Whether one group may be shown to one viewer, and if not, why."""

    key: str
    shown: bool
    n: int | None  # the group's size when shown; None when hidden
    reason: str  # "" when shown; otherwise a sentence for the viewer
    rule: str  # "" when shown; otherwise one of the RULE_* names


# A group's decompositions: ("family", name) for a named family of disjoint parts, and
# ("alone", child key) for a part linked without a family.
_FamilyKey = tuple[str, str]


class GroupSet:
    """The candidate groups of one viewer, all decided together so that no view can be
    subtracted from another.

    "*" is the viewer's whole scope and exists from the start. Every other group names a
    parent that contains it and, optionally, a family: the members of one parent's family are
    disjoint parts of that parent (the tenure bands of a team, the child teams of a team). A
    group may be a part of more than one parent (`link`), as a heatmap cell (team T, band b) is
    a part of team T (family "tenure") and of band b of T's parent team (family "teams").
    """

    def __init__(self, scope: frozenset[Hashable]) -> None:
        self._scope = frozenset(scope)
        self._keys: list[str] = [SCOPE]
        self._index: dict[str, int] = {SCOPE: 0}
        self._members: list[frozenset[Hashable]] = [self._scope]
        self._families: list[dict[_FamilyKey, list[int]]] = [{}]
        self._parents: list[list[tuple[int, _FamilyKey]]] = [[]]
        self._family_members: dict[tuple[int, _FamilyKey], set[Hashable]] = {}

    def add(
        self,
        key: str,
        members: Iterable[Hashable],
        *,
        parent: str | None = None,
        family: str | None = None,
    ) -> None:
        """Add a group. Members outside the scope are ignored. `parent` defaults to "*"."""
        if not isinstance(key, str):
            raise TypeError("a group key must be a string")
        if key in self._index:
            raise ValueError(f"group {key!r} was already added")
        parent_index = self._parent_index(key, parent if parent is not None else SCOPE)
        group = self._scope.intersection(members)
        self._check_inside(key, group, parent_index)
        self._check_family(key, group, parent_index, family)
        self._index[key] = len(self._keys)
        self._keys.append(key)
        self._members.append(group)
        self._families.append({})
        self._parents.append([])
        self._attach(self._index[key], parent_index, family)

    def link(self, key: str, *, parent: str, family: str | None = None) -> None:
        """Declare that the group `key` is also a part of `parent` (added before `key`)."""
        if key not in self._index:
            raise ValueError(f"unknown group {key!r}")
        index = self._index[key]
        parent_index = self._parent_index(key, parent)
        if parent_index >= index:
            raise ValueError(f"parent {parent!r} must be added before {key!r}")
        family_key = _family_key(key, family)
        if (parent_index, family_key) in self._parents[index]:
            raise ValueError(f"group {key!r} is already a part of {parent!r} in that family")
        self._check_inside(key, self._members[index], parent_index)
        self._check_family(key, self._members[index], parent_index, family)
        self._attach(index, parent_index, family)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __len__(self) -> int:
        return len(self._keys)

    def _parent_index(self, key: str, parent: str) -> int:
        if parent not in self._index:
            raise ValueError(f"unknown parent {parent!r} for group {key!r}")
        return self._index[parent]

    def _check_inside(self, key: str, group: frozenset[Hashable], parent_index: int) -> None:
        # The rules subtract parts from their parent by size alone, which is sound only when
        # every part lies inside it.
        if not group <= self._members[parent_index]:
            parent = self._keys[parent_index]
            raise ValueError(f"group {key!r} has members outside its parent {parent!r}")

    def _check_family(
        self, key: str, group: frozenset[Hashable], parent_index: int, family: str | None
    ) -> None:
        if family is None:
            return
        taken = self._family_members.get((parent_index, _family_key(key, family)))
        if taken is not None and not group.isdisjoint(taken):
            parent = self._keys[parent_index]
            raise ValueError(
                f"group {key!r} overlaps another part of {parent!r} in family {family!r}"
            )

    def _attach(self, index: int, parent_index: int, family: str | None) -> None:
        family_key = _family_key(self._keys[index], family)
        self._families[parent_index].setdefault(family_key, []).append(index)
        self._parents[index].append((parent_index, family_key))
        if family is not None:
            taken = self._family_members.setdefault((parent_index, family_key), set())
            taken |= self._members[index]


def _family_key(key: str, family: str | None) -> _FamilyKey:
    return ("family", family) if family is not None else ("alone", key)


def decide(groups: GroupSet, threshold: int) -> dict[str, Decision]:
    """Decide which groups of one viewer are shown, "*" included, keyed as they were added.

    `threshold` is `policy.min_group_size` for scores and `policy.comment_threshold` for
    comments. The same groups, added in the same order, always get the same decisions.
    """
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise TypeError("threshold must be an integer")
    if threshold < FLOOR:
        raise ValueError(f"threshold must be at least {FLOOR}")
    return _Decider(groups, threshold).run()


def participation_step(
    answered: int, invited: int, policy: PrivacyPolicy
) -> tuple[int, int] | None:
    """What a live participation counter may show: (answered, invited) with answered rounded
    down to a multiple of k, so one more answer is not visible; None when fewer than k were
    invited. An `answered` above `invited` (someone left the roster) counts as `invited`."""
    if answered < 0 or invited < 0:
        raise ValueError("answered and invited cannot be negative")
    step = policy.min_group_size
    if invited < step:
        return None
    return (min(answered, invited) // step * step, invited)


class _Decider:
    """One run of `decide`. Groups are numbered in the order they were added, so parents come
    before their parts and a reverse sweep meets every part before its parents."""

    def __init__(self, groups: GroupSet, threshold: int) -> None:
        self.groups = groups
        self.threshold = threshold
        self.size = [len(members) for members in groups._members]
        self.shown = [True] * len(self.size)
        self.rule = [""] * len(self.size)
        # What a family of a group leaves over besides its parts (the members of a team who
        # are in none of its child teams: the manager, say).
        self.outside_parts = [
            {
                family_key: self.size[index] - sum(self.size[part] for part in parts)
                for family_key, parts in families.items()
            }
            for index, families in enumerate(groups._families)
        ]
        # Subtraction masks (see `_subtraction_sweep`): bit v < threshold is set when v people
        # of a group can be left over after subtracting shown groups; bit `threshold` stands
        # for "threshold or more".
        self.big = 1 << threshold
        self.leaks = (self.big - 1) & ~1  # 1 .. threshold - 1 people left over
        self.mask = [0] * len(self.size)
        self.family_masks: list[dict[_FamilyKey, int]] = [{} for _ in self.size]
        # Groups whose masks are stale, and the same as a heap of negated numbers, so that
        # the stale parts of a group (all added after it) come out first.
        self.dirty: set[int] = set()
        self.dirty_heap: list[int] = []
        # Groups with the same people under different keys (a team's band, and the same band
        # of its parent team when nobody else there has it) show the same number, so they are
        # shown or hidden together.
        self.same_people: dict[frozenset[Hashable], list[int]] = {}

    def run(self) -> dict[str, Decision]:
        self._single_groups()
        for index, members in enumerate(self.groups._members):
            if self.shown[index]:
                self.same_people.setdefault(members, []).append(index)
        self._nested_pairs()
        self._sibling_remainders()
        for index in reversed(range(len(self.size))):
            self._compute_mask(index)
        self.dirty.clear()
        self.dirty_heap.clear()
        # Hiding a group never undoes a rule: it takes a number away (a shown pair, a way to
        # subtract) or adds at least `threshold` people to a remainder. So one bottom-up
        # sweep finds every case; the second one checks that it did.
        while self._subtraction_sweep():
            pass
        return {
            key: Decision(
                key=key,
                shown=self.shown[index],
                n=self.size[index] if self.shown[index] else None,
                reason=("" if self.shown[index] else self._reason(self.rule[index])),
                rule=self.rule[index],
            )
            for index, key in enumerate(self.groups._keys)
        }

    def _reason(self, rule: str) -> str:
        return REASONS[rule].format(threshold=self.threshold)

    def _hide(self, index: int, rule: str) -> None:
        for same in self.same_people.get(self.groups._members[index], [index]):
            if self.shown[same]:
                self.shown[same] = False
                self.rule[same] = rule
                self._mark_dirty(same)

    def _single_groups(self) -> None:
        """Rules 1 to 3: empty, small, and a rest of the scope that is too small."""
        scope_size = self.size[0]
        for index, size in enumerate(self.size):
            if size == 0:
                self._hide(index, RULE_EMPTY)
            elif size < self.threshold:
                self._hide(index, RULE_SMALL)
            elif 0 < scope_size - size < self.threshold:
                self._hide(index, RULE_COMPLEMENT)

    def _nested_pairs(self) -> None:
        """Rule 4: of two shown groups A ⊋ B with 0 < |A \\ B| < threshold, hide B.

        Every nested pair counts, linked or not (the same tenure band in a team and in its
        parent team). Any A ⊇ B holds B's first member, so an index of the groups that hold
        each such member finds the candidates without comparing all pairs.
        """
        members = self.groups._members
        shown = [index for index, is_shown in enumerate(self.shown) if is_shown]
        pivot = {index: next(iter(members[index])) for index in shown}
        pivots = set(pivot.values())
        holders: dict[Hashable, list[int]] = {}
        for index in shown:
            for member in members[index] & pivots:
                holders.setdefault(member, []).append(index)
        # Larger groups first, so every A is final when its parts are looked at.
        for inner in sorted(shown, key=lambda index: (-self.size[index], index)):
            inner_size = self.size[inner]
            for outer in holders[pivot[inner]]:
                if (
                    self.shown[outer]
                    and inner_size < self.size[outer] < inner_size + self.threshold
                    and members[inner] <= members[outer]
                ):
                    self._hide(inner, RULE_DIFFERENCE)
                    break

    def _sibling_remainders(self) -> None:
        """Rule 5: in every family of every group, shown or not, the hidden parts together
        must hold no one or at least `threshold` people; else hide the smallest shown part."""
        for families in self.groups._families:
            for (kind, _), parts in families.items():
                if kind != "family":
                    continue
                hidden = sum(self.size[part] for part in parts if not self.shown[part])
                # A shown part holds at least `threshold` people, so one more hidden part is
                # always enough.
                if 0 < hidden < self.threshold:
                    shown_parts = [part for part in parts if self.shown[part]]
                    if shown_parts:
                        self._hide(min(shown_parts, key=self._smallest_first), RULE_SIBLING)

    def _smallest_first(self, index: int) -> tuple[int, str]:
        return (self.size[index], self.groups._keys[index])

    def _subtraction_sweep(self) -> bool:
        """Rules 4 and 5 through hidden groups: from a shown group, subtract any shown groups
        reachable through the parts of one family, going down through hidden parts (one of
        their families each). When some subtraction leaves 1 .. threshold - 1 people, hide
        the smallest shown group it used; repeat. Returns whether anything was hidden.

        A group's mask holds every number of its people that can be left over: all of them
        (nothing subtracted), none (when it is shown itself), or, per family, the people
        outside all parts plus a left-over of each part. Numbers of `threshold` or more are
        one bit, so this costs a few shifts per part.
        """
        hid = False
        for index in reversed(range(len(self.size))):
            if not self.shown[index]:
                continue
            for family_key in self.groups._families[index]:
                while True:
                    self._refresh(index)
                    leaks = self.family_masks[index][family_key] & self.leaks
                    if not leaks:
                        break
                    left_over = (leaks & -leaks).bit_length() - 1
                    used = self._subtracted(index, family_key, left_over)
                    rule = RULE_DIFFERENCE if len(used) == 1 else RULE_SIBLING
                    self._hide(min(used, key=self._smallest_first), rule)
                    hid = True
        return hid

    def _mark_dirty(self, index: int) -> None:
        stack = [index]
        while stack:
            current = stack.pop()
            if current in self.dirty:
                continue
            self.dirty.add(current)
            heapq.heappush(self.dirty_heap, -current)
            stack.extend(parent for parent, _ in self.groups._parents[current])

    def _refresh(self, index: int) -> None:
        """Recompute the stale masks of `index` and of every group added after it."""
        while self.dirty_heap and -self.dirty_heap[0] >= index:
            other = -heapq.heappop(self.dirty_heap)
            self._compute_mask(other)
            self.dirty.discard(other)

    def _compute_mask(self, index: int) -> None:
        threshold = self.threshold
        mask = 1 << min(self.size[index], threshold)
        if self.shown[index]:
            mask |= 1
        family_masks = self.family_masks[index]
        for family_key, parts in self.groups._families[index].items():
            family_mask = 1 << min(self.outside_parts[index][family_key], threshold)
            for part in parts:
                family_mask = self._add(family_mask, self.mask[part])
                if family_mask == self.big:
                    break
            family_masks[family_key] = family_mask
            mask |= family_mask
        self.mask[index] = mask

    def _add(self, left: int, right: int) -> int:
        """All sums of a number in `left` and a number in `right`, capped at the threshold."""
        big = self.big
        if left == big or right == big:
            return big
        if right == 1:
            return left
        if right == 1 | big:  # a shown group with no small left-over: 0, or too many
            return left | big
        total = 0
        rest = left
        while rest:
            lowest = rest & -rest
            total |= right << (lowest.bit_length() - 1)
            rest ^= lowest
        if total >= big:
            total = (total & (big - 1)) | big
        return total

    def _subtracted(self, index: int, family_key: _FamilyKey, left_over: int) -> list[int]:
        """The shown groups of one subtraction from `index` that leaves `left_over` people."""
        parts = self.groups._families[index][family_key]
        threshold = self.threshold
        prefixes = [1 << min(self.outside_parts[index][family_key], threshold)]
        for part in parts:
            prefixes.append(self._add(prefixes[-1], self.mask[part]))
        used: list[int] = []
        for position in reversed(range(len(parts))):
            part = parts[position]
            part_mask = self.mask[part]
            taken = next(
                value
                for value in range(left_over + 1)
                if part_mask >> value & 1 and prefixes[position] >> (left_over - value) & 1
            )
            left_over -= taken
            self._subtracted_part(part, taken, used)
        return used

    def _subtracted_part(self, part: int, left_over: int, used: list[int]) -> None:
        if left_over == 0 and self.shown[part]:
            used.append(part)
        elif left_over != self.size[part]:
            family_key = next(
                key for key, mask in self.family_masks[part].items() if mask >> left_over & 1
            )
            used.extend(self._subtracted(part, family_key, left_over))
