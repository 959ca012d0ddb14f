//! Place-name search over the GeoNames gazetteer: prefix and typo-tolerant, larger places first;
//! and the nearest places to a point.

use geo::Coord;
use rstar::RTree;
use rstar::primitives::GeomWithData;

use crate::basemap::Place;

/// Lower-case letters and digits, words separated by single spaces ("St. Helens" → "st helens").
pub fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Optimal string alignment distance (edits, counting a swap of neighbours as one), stopping
/// early once it exceeds `limit`.
fn edit_distance(a: &[char], b: &[char], limit: usize) -> usize {
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut current = vec![0usize; m + 1];
    for i in 1..=n {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1)
                .min(current[j - 1] + 1)
                .min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            current[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut current);
    }
    prev[m]
}

/// How a name matched, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    Exact,
    Prefix,
    WordPrefix,
    Typo,
}

/// A search result.
#[derive(Clone, Debug, PartialEq)]
pub struct PlaceMatch {
    pub place: usize,
    pub kind: MatchKind,
}

/// The gazetteer with its search structures.
pub struct Gazetteer {
    pub places: Vec<Place>,
    names: Vec<Vec<char>>,
    tree: RTree<GeomWithData<[f64; 2], usize>>,
}

/// Squash longitude so that distances in the tree are roughly equal in both directions in
/// Britain.
const LON_SCALE: f64 = 0.62;

impl Gazetteer {
    pub fn new(places: Vec<Place>) -> Self {
        let names = places
            .iter()
            .map(|p| normalise_name(&p.name).chars().collect())
            .collect();
        let tree = RTree::bulk_load(
            places
                .iter()
                .enumerate()
                .map(|(i, p)| GeomWithData::new([p.position.x * LON_SCALE, p.position.y], i))
                .collect(),
        );
        Self {
            places,
            names,
            tree,
        }
    }

    /// Up to `limit` places matching `query`, best match first, then the most populous.
    pub fn search(&self, query: &str, limit: usize) -> Vec<PlaceMatch> {
        let q: Vec<char> = normalise_name(query).chars().collect();
        if q.is_empty() {
            return Vec::new();
        }
        let typo_limit = match q.len() {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let mut found: Vec<PlaceMatch> = Vec::new();
        for (i, name) in self.names.iter().enumerate() {
            let kind = if *name == q {
                MatchKind::Exact
            } else if name.starts_with(&q) {
                MatchKind::Prefix
            } else if name
                .split(|c| *c == ' ')
                .skip(1)
                .any(|word| word.starts_with(&q))
            {
                MatchKind::WordPrefix
            } else if typo_limit > 0 && {
                // As-you-type: compare with the start of the name, or the whole name.
                let whole = edit_distance(&q, name, typo_limit) <= typo_limit;
                let head = name.len() > q.len()
                    && edit_distance(&q, &name[..q.len()], typo_limit) <= typo_limit;
                whole || head
            } {
                MatchKind::Typo
            } else {
                continue;
            };
            found.push(PlaceMatch { place: i, kind });
        }
        found.sort_by(|a, b| {
            a.kind.cmp(&b.kind).then(
                self.places[b.place]
                    .population
                    .cmp(&self.places[a.place].population),
            )
        });
        found.truncate(limit);
        found
    }

    /// How many places share this place's name (for saying which Newport is which).
    pub fn namesakes(&self, place: usize) -> usize {
        let name = &self.names[place];
        self.names.iter().filter(|n| *n == name).count()
    }

    /// The `count` nearest places to a point, nearest first, with distances in km.
    pub fn nearest(&self, point: Coord<f64>, count: usize) -> Vec<(usize, f64)> {
        self.tree
            .nearest_neighbor_iter(&[point.x * LON_SCALE, point.y])
            .take(count)
            .map(|g| (g.data, distance_km(point, self.places[g.data].position)))
            .collect()
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (lat1, lat2) = (a.y.to_radians(), b.y.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.x - a.x).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(name: &str, lon: f64, lat: f64, population: u64) -> Place {
        Place {
            name: name.into(),
            position: Coord { x: lon, y: lat },
            population,
            country: "ENG".into(),
        }
    }

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(vec![
            place("Birmingham", -1.90, 52.48, 1_157_603),
            place("Newport", -2.99, 51.58, 145_000),
            place("Newport", -1.29, 50.70, 25_000),
            place("Newport Pagnell", -0.72, 52.08, 15_000),
            place("Stoke-on-Trent", -2.18, 53.00, 270_000),
            place("St. Helens", -2.73, 53.45, 100_000),
            place("Bingham", -0.95, 52.95, 9_000),
        ])
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(normalise_name("St. Helens"), "st helens");
        assert_eq!(normalise_name("Stoke-on-Trent"), "stoke on trent");
    }

    #[test]
    fn prefix_matches_rank_larger_places_first() {
        let g = gazetteer();
        let found: Vec<(&str, u64)> = g
            .search("newp", 10)
            .iter()
            .map(|m| {
                (
                    g.places[m.place].name.as_str(),
                    g.places[m.place].population,
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("Newport", 145_000),
                ("Newport", 25_000),
                ("Newport Pagnell", 15_000)
            ]
        );
        assert_eq!(g.namesakes(1), 2);
    }

    #[test]
    fn exact_beats_prefix_and_typos_are_forgiven() {
        let g = gazetteer();
        let first = |q: &str| {
            g.search(q, 1)
                .first()
                .map(|m| g.places[m.place].name.clone())
        };
        assert_eq!(first("newport").as_deref(), Some("Newport"));
        assert_eq!(
            first("birmingam").as_deref(),
            Some("Birmingham"),
            "a missing letter"
        );
        assert_eq!(
            first("brimingham").as_deref(),
            Some("Birmingham"),
            "swapped letters"
        );
        assert_eq!(first("stoke on trent").as_deref(), Some("Stoke-on-Trent"));
        assert_eq!(first("st helens").as_deref(), Some("St. Helens"));
        assert_eq!(
            first("trent").as_deref(),
            Some("Stoke-on-Trent"),
            "a later word"
        );
        assert!(g.search("xyzzy", 5).is_empty());
    }

    #[test]
    fn nearest_places_come_with_distances() {
        let g = gazetteer();
        let near = g.nearest(Coord { x: -1.89, y: 52.47 }, 2);
        assert_eq!(g.places[near[0].0].name, "Birmingham");
        assert!(near[0].1 < 2.0, "{near:?}");
    }
}
