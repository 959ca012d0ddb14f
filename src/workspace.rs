//! The open layers and everything that points into them: each layer has a stable [`LayerId`],
//! and the active layer, the selection and the compare pair are held by id, so that opening,
//! reopening, reordering and closing layers keep them on the layers they were on. The only code
//! that changes the list of layers; a generation number tells caches when it changed.
//!
//! Plain Rust, generic over what a layer is (the app keeps prepared layers here), tested alone.

/// A layer's identity for as long as it is open (reopening a file keeps it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LayerId(u64);

/// The layers, bottom first (the order they are drawn and listed in), and what refers to them.
#[derive(Debug)]
pub struct Workspace<L> {
    layers: Vec<(LayerId, L)>,
    next_id: u64,
    active: Option<LayerId>,
    /// The selected footprint, by index in the active layer.
    selected: Option<usize>,
    /// The compare window's older and newer layers.
    compare: Option<(LayerId, LayerId)>,
    generation: u64,
}

impl<L> Default for Workspace<L> {
    fn default() -> Self {
        Workspace {
            layers: Vec::new(),
            next_id: 0,
            active: None,
            selected: None,
            compare: None,
            generation: 0,
        }
    }
}

impl<L> Workspace<L> {
    /// Adds a layer on top and makes it the active one (with nothing selected in it).
    pub fn add(&mut self, layer: L) -> LayerId {
        let id = LayerId(self.next_id);
        self.next_id += 1;
        self.layers.push((id, layer));
        self.active = Some(id);
        self.selected = None;
        self.generation += 1;
        id
    }

    /// Puts `layer` in the place of layer `id` (a file opened again): its id, position, active
    /// state and compare role stay; a selection in it stays when the layer still has that
    /// many footprints (`len` of the new layer).
    pub fn replace(&mut self, id: LayerId, layer: L, len: usize) -> bool {
        let Some(slot) = self.layers.iter_mut().find(|(i, _)| *i == id) else {
            return false;
        };
        slot.1 = layer;
        if self.active == Some(id) && self.selected.is_some_and(|s| s >= len) {
            self.selected = None;
        }
        self.generation += 1;
        true
    }

    /// Closes layer `id`. When it was the active one, the layer that took its place (else the
    /// one below it) becomes active and the selection is cleared; otherwise the active layer
    /// and its selection stay. A compare pair involving it ends.
    pub fn close(&mut self, id: LayerId) -> Option<L> {
        let position = self.position(id)?;
        let (_, layer) = self.layers.remove(position);
        if self.active == Some(id) {
            let next = position.min(self.layers.len().saturating_sub(1));
            self.active = self.layers.get(next).map(|(i, _)| *i);
            self.selected = None;
        }
        if self.compare.is_some_and(|(a, b)| a == id || b == id) {
            self.compare = None;
        }
        self.generation += 1;
        Some(layer)
    }

    /// Moves layer `id` one place up (towards the top) or down; ids, the active layer, the
    /// selection and the compare pair are unchanged. False at the end of the list.
    pub fn move_layer(&mut self, id: LayerId, up: bool) -> bool {
        let Some(position) = self.position(id) else {
            return false;
        };
        let other = if up {
            position + 1
        } else {
            match position.checked_sub(1) {
                Some(p) => p,
                None => return false,
            }
        };
        if other >= self.layers.len() {
            return false;
        }
        self.layers.swap(position, other);
        self.generation += 1;
        true
    }

    /// Makes layer `id` the active one; a change of layer clears the selection.
    pub fn activate(&mut self, id: LayerId) -> bool {
        if self.position(id).is_none() {
            return false;
        }
        if self.active != Some(id) {
            self.active = Some(id);
            self.selected = None;
            self.generation += 1;
        }
        true
    }

    /// Selects footprint `index` of the active layer (or nothing).
    pub fn select(&mut self, index: Option<usize>) {
        self.selected = index.filter(|_| self.active.is_some());
    }

    /// The selected footprint of the active layer.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// Compares `old` with `new` (both open), or stops comparing.
    pub fn set_compare(&mut self, pair: Option<(LayerId, LayerId)>) {
        self.compare =
            pair.filter(|(a, b)| self.position(*a).is_some() && self.position(*b).is_some());
    }

    /// The compare window's (older, newer) layers.
    pub fn compare(&self) -> Option<(LayerId, LayerId)> {
        self.compare
    }

    pub fn active_id(&self) -> Option<LayerId> {
        self.active
    }

    /// The active layer.
    pub fn active(&self) -> Option<&L> {
        self.active.and_then(|id| self.get(id))
    }

    pub fn active_mut(&mut self) -> Option<&mut L> {
        let id = self.active?;
        self.get_mut(id)
    }

    pub fn get(&self, id: LayerId) -> Option<&L> {
        self.layers.iter().find(|(i, _)| *i == id).map(|(_, l)| l)
    }

    pub fn get_mut(&mut self, id: LayerId) -> Option<&mut L> {
        self.layers
            .iter_mut()
            .find(|(i, _)| *i == id)
            .map(|(_, l)| l)
    }

    /// Where layer `id` is in the order, bottom first.
    pub fn position(&self, id: LayerId) -> Option<usize> {
        self.layers.iter().position(|(i, _)| *i == id)
    }

    /// The first layer (bottom up) that `is` picks out.
    pub fn find(&self, is: impl Fn(&L) -> bool) -> Option<LayerId> {
        self.layers.iter().find(|(_, l)| is(l)).map(|(i, _)| *i)
    }

    /// Every layer with its id, bottom first.
    pub fn iter(&self) -> impl Iterator<Item = (LayerId, &L)> {
        self.layers.iter().map(|(i, l)| (*i, l))
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (LayerId, &mut L)> {
        self.layers.iter_mut().map(|(i, l)| (*i, &mut *l))
    }

    pub fn len(&self) -> usize {
        self.layers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.layers.is_empty()
    }

    /// Changes whenever the list of layers, their order or the active layer changes: caches
    /// made for one generation are stale in the next.
    pub fn generation(&self) -> u64 {
        self.generation
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Three layers, "a" at the bottom; "c" active.
    fn three() -> (Workspace<&'static str>, [LayerId; 3]) {
        let mut w = Workspace::default();
        let ids = [w.add("a"), w.add("b"), w.add("c")];
        (w, ids)
    }

    fn order(w: &Workspace<&'static str>) -> Vec<&'static str> {
        w.iter().map(|(_, l)| *l).collect()
    }

    #[test]
    fn closing_another_layer_keeps_the_active_one_its_selection_and_the_compare_pair() {
        let (mut w, [a, b, c]) = three();
        w.activate(b);
        w.select(Some(7));
        w.set_compare(Some((b, c)));
        let before = w.generation();
        assert_eq!(w.close(a), Some("a"));
        assert_eq!(w.active(), Some(&"b"));
        assert_eq!(w.selected(), Some(7));
        assert_eq!(w.compare(), Some((b, c)));
        assert!(w.generation() > before);
        assert_eq!(order(&w), ["b", "c"]);
    }

    #[test]
    fn closing_the_active_layer_moves_to_the_one_in_its_place_and_ends_its_comparison() {
        let (mut w, [a, b, c]) = three();
        w.activate(b);
        w.select(Some(3));
        w.set_compare(Some((a, b)));
        w.close(b);
        assert_eq!(w.active_id(), Some(c), "the layer that took its place");
        assert_eq!(w.selected(), None);
        assert_eq!(w.compare(), None);
        w.close(c);
        assert_eq!(w.active_id(), Some(a), "the top one closed: the one below");
        w.close(a);
        assert_eq!(w.active_id(), None);
        assert!(w.is_empty());
        w.select(Some(1));
        assert_eq!(w.selected(), None, "nothing to select in");
        assert_eq!(w.close(a), None, "closed twice");
    }

    #[test]
    fn reordering_keeps_ids_active_selection_and_compare() {
        let (mut w, [a, b, c]) = three();
        w.activate(a);
        w.select(Some(2));
        w.set_compare(Some((a, c)));
        assert!(w.move_layer(a, true));
        assert!(w.move_layer(a, true));
        assert!(!w.move_layer(a, true), "already on top");
        assert_eq!(order(&w), ["b", "c", "a"]);
        assert!(!w.move_layer(b, false), "already at the bottom");
        assert_eq!(w.active(), Some(&"a"));
        assert_eq!(w.selected(), Some(2));
        assert_eq!(w.compare(), Some((a, c)));
        assert_eq!(w.get(b), Some(&"b"));
        assert_eq!(w.position(a), Some(2));
    }

    #[test]
    fn reopening_a_layer_keeps_its_place_and_what_points_at_it() {
        let (mut w, [_, b, c]) = three();
        w.activate(b);
        w.select(Some(4));
        w.set_compare(Some((b, c)));
        assert!(w.replace(b, "b again", 10));
        assert_eq!(order(&w), ["a", "b again", "c"]);
        assert_eq!(w.active_id(), Some(b));
        assert_eq!(w.selected(), Some(4));
        assert_eq!(w.compare(), Some((b, c)));
        // Fewer footprints than the selection: it goes.
        w.replace(b, "b short", 3);
        assert_eq!(w.selected(), None);
        assert!(!w.replace(LayerId(99), "x", 1));
    }

    #[test]
    fn a_new_layer_becomes_active_and_activating_another_clears_the_selection() {
        let (mut w, [a, _, c]) = three();
        w.select(Some(1));
        let d = w.add("d");
        assert_eq!(w.active_id(), Some(d));
        assert_eq!(w.selected(), None);
        w.select(Some(5));
        assert!(w.activate(d), "the same layer");
        assert_eq!(w.selected(), Some(5));
        assert!(w.activate(a));
        assert_eq!(w.selected(), None);
        w.close(c);
        assert!(!w.activate(c), "closed");
        assert_eq!(w.active_id(), Some(a));
        // A compare pair names open layers only.
        w.set_compare(Some((a, c)));
        assert_eq!(w.compare(), None);
    }
}
